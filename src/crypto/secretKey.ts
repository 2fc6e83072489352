import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "../config.js";

/** Decodes SWITCHBOARD_SECRET_KEY: 64 hex characters or base64 of exactly 32 bytes. */
export function decodeSecretKey(raw: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) throw new Error("SWITCHBOARD_SECRET_KEY must be 32 bytes, as 64 hex characters or base64 (openssl rand -hex 32)");
  return key;
}

const generated = new Map<string, Buffer>();

/**
 * The key that encrypts secrets at rest. From SWITCHBOARD_SECRET_KEY when set; otherwise a
 * random key generated once into DATA_DIR/secret.key (mode 0600), which suits the embedded,
 * single-node install. Several processes on one database server must share the env key, or
 * each would hold a different key (README: production sets it).
 */
export function secretKeyFor(config: Pick<Config, "SWITCHBOARD_SECRET_KEY" | "DATA_DIR">): Buffer {
  if (config.SWITCHBOARD_SECRET_KEY) return decodeSecretKey(config.SWITCHBOARD_SECRET_KEY);
  const path = join(resolve(config.DATA_DIR), "secret.key");
  const cached = generated.get(path);
  if (cached) return cached;
  let key: Buffer;
  try {
    key = decodeSecretKey(readFileSync(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(resolve(config.DATA_DIR), { recursive: true });
    key = randomBytes(32);
    // "wx": two processes starting at once must not overwrite each other's fresh key.
    try {
      writeFileSync(path, key.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code !== "EEXIST") throw writeError;
      key = decodeSecretKey(readFileSync(path, "utf8"));
    }
  }
  generated.set(path, key);
  return key;
}
