import type { Executor } from "../../db/client.js";
import { authTokens } from "../../db/schema/index.js";
import { generateToken, hashToken } from "../../auth/tokens.js";

/** Opens a session for a person already authenticated (password or magic link); the token is returned once. */
export async function openSession(db: Executor, userId: string, ttlHours: number): Promise<{ token: string; expiresAt: Date }> {
  const token = generateToken("session");
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  await db.insert(authTokens).values({ userId, kind: "session", tokenHash: hashToken(token), expiresAt });
  return { token, expiresAt };
}
