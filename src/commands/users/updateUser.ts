import { and, eq, isNull } from "drizzle-orm";
import { authTokens, users } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import type { UserRow } from "../../db/repositories/people.js";
import { hashPassword } from "../../auth/passwords.js";
import { AppError, notFound } from "../../errors.js";
import type { Actor, Role } from "../../policies/actor.js";

/** Admin edit of a person. Deactivating someone revokes their sessions and tokens at once. */
export async function updateUser(options: {
  db: Db;
  actor: Actor;
  userId: string;
  change: {
    name?: string | undefined;
    role?: Role | undefined;
    isActive?: boolean | undefined;
    password?: string | undefined;
    organizationId?: string | null | undefined;
    isOrgManager?: boolean | undefined;
  };
}): Promise<UserRow> {
  const { change } = options;
  if (options.userId === options.actor.id && (change.isActive === false || (change.role && change.role !== "admin"))) {
    throw new AppError("CONFLICT", "admins cannot demote or deactivate themselves");
  }
  const passwordHash = change.password ? await hashPassword(change.password) : undefined;
  return options.db.transaction(async (tx) => {
    const { password: _password, ...fields } = change;
    const [user] = await tx
      .update(users)
      .set({ ...fields, ...(passwordHash ? { passwordHash } : {}), updatedAt: new Date() })
      .where(eq(users.id, options.userId))
      .returning();
    if (!user) throw notFound("user");
    if (change.isActive === false || change.role !== undefined) {
      await tx
        .update(authTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(authTokens.userId, user.id), isNull(authTokens.revokedAt)));
    }
    return user;
  });
}
