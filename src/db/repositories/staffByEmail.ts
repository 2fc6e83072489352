import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { users } from "../schema/index.js";

/**
 * The active agent or admin with this email, if any: how a remote person (a Jira assignee or
 * comment author) becomes one of ours (DESIGN.md §7 "Authorship"). Never a customer: nothing
 * from outside may speak or act as one.
 */
export async function staffByEmail(db: Executor, email: string | null | undefined): Promise<{ id: string; name: string } | undefined> {
  if (!email || !email.includes("@")) return undefined;
  const [row] = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, email.toLowerCase()), eq(users.isActive, true), inArray(users.role, ["agent", "admin"])))
    .limit(1);
  return row;
}
