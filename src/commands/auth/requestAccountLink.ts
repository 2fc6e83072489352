import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { authTokens } from "../../db/schema/index.js";
import { findUserByEmail } from "../../db/repositories/people.js";
import { generateToken, hashToken } from "../../auth/tokens.js";
import { enqueueAccountEmail } from "../../connectors/email/outbound/enqueueEmail.js";

export const ACCOUNT_LINK_TTL_MS = { password_reset: 60 * 60_000, magic_link: 15 * 60_000 } as const;

/**
 * Mails a password-reset or magic sign-in link to an active person with this address. The caller
 * always answers the same, found or not, so the endpoint does not reveal who has an account.
 * A new link replaces any earlier unused one of the same kind.
 */
export async function requestAccountLink(options: {
  db: Db;
  email: string;
  kind: keyof typeof ACCOUNT_LINK_TTL_MS;
  secretKey: Buffer;
}): Promise<void> {
  const user = await findUserByEmail(options.db, options.email);
  if (!user?.isActive) return;
  // A password reset is for people who have a password; the others sign in by magic link.
  if (options.kind === "password_reset" && user.passwordHash === null && user.role === "customer") return;
  const token = generateToken(options.kind);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ACCOUNT_LINK_TTL_MS[options.kind]);
  await options.db.transaction(async (tx) => {
    await tx
      .update(authTokens)
      .set({ revokedAt: now })
      .where(and(eq(authTokens.userId, user.id), eq(authTokens.kind, options.kind), isNull(authTokens.revokedAt), gt(authTokens.expiresAt, now)));
    await tx.insert(authTokens).values({ userId: user.id, kind: options.kind, tokenHash: hashToken(token), expiresAt });
    await enqueueAccountEmail(tx, { userId: user.id, kind: options.kind, token, expiresAt, secretKey: options.secretKey });
  });
}
