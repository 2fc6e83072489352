import { and, asc, eq, inArray } from "drizzle-orm";
import { attachments, messages, ticketEvents, users } from "../schema/index.js";
import type { Executor } from "../client.js";
import { isStaff, type Actor } from "../../policies/actor.js";

export type AttachmentRow = typeof attachments.$inferSelect;

/** Event types a customer may see in their ticket's history; everything else is staff-only. */
export const customerVisibleEventTypes = ["ticket.created", "ticket.status_changed", "ticket.reopened", "reply.added", "ticket.merged_into"];

/** The thread of a ticket, oldest first, with authors and files. Internal notes only for staff. */
export async function loadThread(db: Executor, actor: Actor, ticketId: string, messageId?: string) {
  const staff = isStaff(actor);
  const where = and(
    eq(messages.ticketId, ticketId),
    staff ? undefined : eq(messages.isInternal, false),
    messageId ? eq(messages.id, messageId) : undefined,
  );
  const rows = await db
    .select({ message: messages, author: { id: users.id, name: users.name, role: users.role } })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorId))
    .where(where)
    .orderBy(asc(messages.createdAt), asc(messages.id));
  const files = await loadAttachments(db, actor, ticketId, messageId);
  return rows.map((r) => ({
    ...r,
    author: r.author?.id ? r.author : null,
    attachments: files.filter((f) => f.messageId === r.message.id),
  }));
}

export async function loadAttachments(db: Executor, actor: Actor, ticketId: string, messageId?: string): Promise<AttachmentRow[]> {
  const where = and(
    eq(attachments.ticketId, ticketId),
    isStaff(actor) ? undefined : eq(attachments.isInternal, false),
    messageId ? eq(attachments.messageId, messageId) : undefined,
  );
  return db.select().from(attachments).where(where).orderBy(asc(attachments.createdAt));
}

export async function loadEvents(db: Executor, actor: Actor, ticketId: string) {
  const where = isStaff(actor)
    ? eq(ticketEvents.ticketId, ticketId)
    : and(eq(ticketEvents.ticketId, ticketId), inArray(ticketEvents.type, customerVisibleEventTypes));
  const rows = await db
    .select({ event: ticketEvents, actor: { id: users.id, name: users.name } })
    .from(ticketEvents)
    .leftJoin(users, eq(users.id, ticketEvents.actorId))
    .where(where)
    .orderBy(asc(ticketEvents.id));
  return rows.map((r) => ({ ...r, actor: r.actor?.id ? r.actor : null }));
}

/** One file of a ticket, or undefined when it is not there or is internal and the actor a customer. */
export async function findAttachment(db: Executor, actor: Actor, ticketId: string, attachmentId: string) {
  const visible = isStaff(actor) ? undefined : eq(attachments.isInternal, false);
  const [row] = await db
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, attachmentId), eq(attachments.ticketId, ticketId), visible));
  return row;
}
