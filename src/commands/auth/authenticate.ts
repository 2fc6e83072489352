import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import { authTokens, users } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { hashToken } from "../../auth/tokens.js";
import type { Actor } from "../../policies/actor.js";

/** Touching last_used_at on every request would make every read a write; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60_000;

/** Resolves a bearer or cookie token to an actor, or null when it is unknown, revoked or expired. */
export async function authenticate(db: Db, token: string): Promise<Actor | null> {
  if (token.length < 10 || token.length > 200 || token.startsWith("sbi_")) return null;
  const tokenHash = hashToken(token);
  const now = new Date();
  const [row] = await db
    .select({ tokenId: authTokens.id, lastUsedAt: authTokens.lastUsedAt, user: users })
    .from(authTokens)
    .innerJoin(users, eq(users.id, authTokens.userId))
    .where(
      and(
        eq(authTokens.tokenHash, tokenHash),
        isNull(authTokens.revokedAt),
        or(isNull(authTokens.expiresAt), gt(authTokens.expiresAt, now)),
        eq(users.isActive, true),
      ),
    )
    .limit(1);
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await db
      .update(authTokens)
      .set({ lastUsedAt: now })
      .where(and(eq(authTokens.id, row.tokenId), or(isNull(authTokens.lastUsedAt), lt(authTokens.lastUsedAt, new Date(now.getTime() - TOUCH_INTERVAL_MS)))));
  }
  const u = row.user;
  return { id: u.id, role: u.role, email: u.email, name: u.name, organizationId: u.organizationId, isOrgManager: u.isOrgManager };
}
