import { and, eq, inArray, sql } from "drizzle-orm";
import { teams, users } from "../schema/index.js";
import type { Executor } from "../client.js";
import { AppError } from "../../errors.js";

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
    .limit(1);
  return row;
}

/** Finds the contact for an email, creating a customer without a password when there is none. */
export async function findOrCreateContact(db: Executor, email: string, name?: string): Promise<UserRow> {
  const existing = await findUserByEmail(db, email);
  if (existing) return existing;
  const [created] = await db
    .insert(users)
    .values({ email: email.toLowerCase(), name: name?.trim() || email.split("@")[0] || email, role: "customer" })
    .onConflictDoNothing()
    .returning();
  // Lost a race with a concurrent insert of the same email: read the winner's row.
  return created ?? (await findUserByEmail(db, email))!;
}

/** An assignee must be an active agent or admin; anything else is a 422 naming the field. */
export async function requireAssignable(db: Executor, userId: string): Promise<UserRow> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.isActive, true), inArray(users.role, ["agent", "admin"])))
    .limit(1);
  if (!row) throw new AppError("UNPROCESSABLE", "assigneeId is not an active agent", { field: "assigneeId" });
  return row;
}

export async function requireTeam(db: Executor, teamId: string): Promise<void> {
  const [row] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).limit(1);
  if (!row) throw new AppError("UNPROCESSABLE", "teamId does not name a team", { field: "teamId" });
}
