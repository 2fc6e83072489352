import { eq } from "drizzle-orm";
import { authTokens, users } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { generateToken, hashToken } from "../../auth/tokens.js";
import { AppError } from "../../errors.js";
import type { Actor } from "../../policies/actor.js";

/** Mints an API token acting as `userId` (default: the admin). The token is returned once, never stored. */
export async function createApiToken(options: {
  db: Db;
  actor: Actor;
  name: string;
  userId?: string | undefined;
  expiresAt?: Date | undefined;
}) {
  const userId = options.userId ?? options.actor.id;
  const [user] = await options.db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("UNPROCESSABLE", "userId does not name a person", { field: "userId" });
  const token = generateToken("api");
  const [row] = await options.db
    .insert(authTokens)
    .values({
      userId,
      kind: "api",
      name: options.name,
      tokenHash: hashToken(token),
      createdById: options.actor.id,
      expiresAt: options.expiresAt ?? null,
    })
    .returning();
  if (!row) throw new Error("token insert returned no row");
  return { token, row };
}
