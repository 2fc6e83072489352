import { eq } from "drizzle-orm";
import type { Executor } from "../client.js";
import { tickets, users } from "../schema/index.js";
import type { TicketRow } from "./findTicket.js";

/**
 * A ticket with its assignee's email, optionally locked: what the Jira mapping reads. Nothing
 * about the requester is loaded, so nothing about them can leak into Jira by accident.
 */
export async function loadTicketForJira(db: Executor, ticketId: string, options: { forUpdate?: boolean } = {}): Promise<{ ticket: TicketRow; assigneeEmail: string | null } | undefined> {
  const query = db.select().from(tickets).where(eq(tickets.id, ticketId)).limit(1);
  const [ticket] = options.forUpdate ? await query.for("update") : await query;
  if (!ticket) return undefined;
  let assigneeEmail: string | null = null;
  if (ticket.assigneeId) {
    const [a] = await db.select({ email: users.email }).from(users).where(eq(users.id, ticket.assigneeId)).limit(1);
    assigneeEmail = a?.email ?? null;
  }
  return { ticket, assigneeEmail };
}
