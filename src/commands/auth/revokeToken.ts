import { and, eq, isNull } from "drizzle-orm";
import { authTokens } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { hashToken } from "../../auth/tokens.js";

/** Ends a session by its token (logout). Unknown tokens are ignored: logout is idempotent. */
export async function revokeSession(db: Db, token: string): Promise<void> {
  await db
    .update(authTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(authTokens.tokenHash, hashToken(token)), eq(authTokens.kind, "session"), isNull(authTokens.revokedAt)));
}

/** Revokes an API token by id; false when there is no such live token. */
export async function revokeApiToken(db: Db, tokenId: string): Promise<boolean> {
  const rows = await db
    .update(authTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(authTokens.id, tokenId), eq(authTokens.kind, "api"), isNull(authTokens.revokedAt)))
    .returning({ id: authTokens.id });
  return rows.length > 0;
}
