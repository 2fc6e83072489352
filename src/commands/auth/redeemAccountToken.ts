import { and, eq, gt, inArray, isNull, ne } from "drizzle-orm";
import type { Db, Tx } from "../../db/client.js";
import { authTokens, users } from "../../db/schema/index.js";
import { hashToken } from "../../auth/tokens.js";
import { openSession } from "./openSession.js";
import { hashPassword } from "../../auth/passwords.js";
import { AppError } from "../../errors.js";
import type { UserRow } from "../../db/repositories/people.js";

type OneTimeKind = "invite" | "password_reset" | "magic_link";

/**
 * Spends a one-time token in one statement, so two concurrent redemptions cannot both succeed.
 * Every failure (unknown, used, expired, wrong kind, deactivated person) looks the same.
 */
async function spend(tx: Tx, token: string, kinds: OneTimeKind[]): Promise<UserRow> {
  const now = new Date();
  const [spent] = await tx
    .update(authTokens)
    .set({ revokedAt: now, lastUsedAt: now })
    .where(and(eq(authTokens.tokenHash, hashToken(token)), inArray(authTokens.kind, kinds), isNull(authTokens.revokedAt), gt(authTokens.expiresAt, now)))
    .returning({ userId: authTokens.userId });
  const [user] = spent ? await tx.select().from(users).where(eq(users.id, spent.userId)) : [];
  if (!user?.isActive) throw new AppError("INVALID_TOKEN", "this link is invalid, used or expired; ask for a new one");
  return user;
}

/**
 * Sets a password from an invitation or a password-reset link. A reset also ends every other
 * session and pending reset of that person: whoever asked for it may be locking an intruder out.
 */
export async function setPasswordWithToken(options: { db: Db; token: string; password: string }): Promise<UserRow> {
  const passwordHash = await hashPassword(options.password);
  return options.db.transaction(async (tx) => {
    const user = await spend(tx, options.token, ["invite", "password_reset"]);
    const [updated] = await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, user.id)).returning();
    await tx
      .update(authTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(authTokens.userId, user.id), inArray(authTokens.kind, ["session", "password_reset", "magic_link"]), isNull(authTokens.revokedAt), ne(authTokens.tokenHash, hashToken(options.token))));
    return updated!;
  });
}

/** Signs in with a magic link: spends it and opens a session, like a password login. */
export async function signInWithMagicLink(options: { db: Db; token: string; ttlHours: number }) {
  return options.db.transaction(async (tx) => {
    const user = await spend(tx, options.token, ["magic_link"]);
    return { ...(await openSession(tx, user.id, options.ttlHours)), user };
  });
}
