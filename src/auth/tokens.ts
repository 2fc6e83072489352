import { createHash, randomBytes } from "node:crypto";

/** Prefixes make leaked tokens recognisable to secret scanners. */
export const tokenPrefix = { session: "sbs_", api: "sbt_", invite: "sbi_", password_reset: "sbr_", magic_link: "sbm_" } as const;

export function generateToken(kind: keyof typeof tokenPrefix): string {
  return tokenPrefix[kind] + randomBytes(32).toString("base64url");
}

/** Tokens are 256-bit random, so a fast hash is enough; only the hash is stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
