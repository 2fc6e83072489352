import { and, eq, inArray, sql } from "drizzle-orm";
import { users } from "../../db/schema/index.js";
import type { Executor } from "../../db/client.js";
import type { TicketRow } from "../../db/repositories/findTicket.js";
import type { Actor } from "../../policies/actor.js";
import { notifyPeople } from "./notifyPeople.js";

/** `@someone@example.com` in a note; emails are the one handle every user already has. */
const mentionPattern = /(?<![\w.])@([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/g;

const notice = (ticket: TicketRow, kind: string, title: string, data: Record<string, unknown> = {}) => ({
  kind,
  ticketId: ticket.id,
  title: `${ticket.number}: ${title}`,
  data: { number: ticket.number, ...data },
  deliverAfter: new Date(),
});

/** Tells a new assignee, unless they took the ticket themselves. */
export async function noticeAssigned(tx: Executor, actor: Actor, ticket: TicketRow): Promise<void> {
  if (!ticket.assigneeId || ticket.assigneeId === actor.id) return;
  await notifyPeople(tx, [ticket.assigneeId], notice(ticket, "ticket.assigned", `assigned to you by ${actor.name}`, { subject: ticket.subject }));
}

/** Tells the assignee that the requester wrote back. */
export async function noticeCustomerReplied(tx: Executor, actor: Actor, ticket: TicketRow): Promise<void> {
  if (!ticket.assigneeId || ticket.assigneeId === actor.id) return;
  await notifyPeople(tx, [ticket.assigneeId], notice(ticket, "ticket.customer_replied", `${actor.name} replied`, { subject: ticket.subject }));
}

/** Tells every active agent or admin mentioned by email in an internal note; customers are never notified of notes. */
export async function noticeMentions(tx: Executor, actor: Actor, ticket: TicketRow, body: string): Promise<void> {
  const emails = [...new Set([...body.matchAll(mentionPattern)].map((m) => m[1]!.toLowerCase()))].slice(0, 20);
  if (emails.length === 0) return;
  const mentioned = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(sql`lower(${users.email})`, emails), eq(users.isActive, true), inArray(users.role, ["agent", "admin"])));
  const ids = mentioned.map((u) => u.id).filter((id) => id !== actor.id);
  await notifyPeople(tx, ids, notice(ticket, "note.mention", `${actor.name} mentioned you in a note`));
}
