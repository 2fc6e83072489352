import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "../../src/crypto/secretBox.js";
import { decodeSecretKey, secretKeyFor } from "../../src/crypto/secretKey.js";

describe("secretBox", () => {
  const key = randomBytes(32);

  it("opens what it sealed, for any text, and never stores the plaintext", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), (secret) => {
        const sealed = sealSecret(key, secret, "ctx");
        expect(sealed).not.toContain(secret);
        expect(openSecret(key, sealed, "ctx")).toBe(secret);
      }),
    );
  });

  it("seals the same secret differently each time (random IV)", () => {
    expect(sealSecret(key, "s3cret", "ctx")).not.toBe(sealSecret(key, "s3cret", "ctx"));
  });

  it("refuses a wrong key, a wrong context and a flipped byte", () => {
    const sealed = sealSecret(key, "s3cret", "webhook:1");
    expect(() => openSecret(randomBytes(32), sealed, "webhook:1")).toThrow();
    expect(() => openSecret(key, sealed, "webhook:2")).toThrow();
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    expect(() => openSecret(key, [...parts.slice(0, 3), body.toString("base64url")].join("."), "webhook:1")).toThrow();
  });
});

describe("secretKeyFor", () => {
  it("decodes a hex or base64 key of 32 bytes and refuses other lengths with a readable message", () => {
    const raw = randomBytes(32);
    expect(decodeSecretKey(raw.toString("hex")).equals(raw)).toBe(true);
    expect(decodeSecretKey(raw.toString("base64")).equals(raw)).toBe(true);
    expect(() => decodeSecretKey("a".repeat(40))).toThrow(/32 bytes/);
  });

  it("without SWITCHBOARD_SECRET_KEY, generates one key file (0600) under DATA_DIR and reuses it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "switchboard-key-"));
    try {
      const first = secretKeyFor({ DATA_DIR: dir, SWITCHBOARD_SECRET_KEY: undefined });
      expect(first).toHaveLength(32);
      expect((await stat(join(dir, "secret.key"))).mode & 0o777).toBe(0o600);
      expect(decodeSecretKey(await readFile(join(dir, "secret.key"), "utf8")).equals(first)).toBe(true);
      expect(secretKeyFor({ DATA_DIR: dir, SWITCHBOARD_SECRET_KEY: undefined }).equals(first)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
