import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { selectTicketRows } from "../../db/repositories/listTickets.js";
import { attachments, messages, tickets, users } from "../../db/schema/index.js";
import { systemActor } from "../../domain/systemActor.js";
import { presentMessage } from "../../presenters/presentMessage.js";
import { presentTicket } from "../../presenters/presentTicket.js";
import type { Message, Ticket } from "../../presenters/schemas.js";
import { PING_EVENT, ZDeliveryFacts, type DeliveryFacts } from "./events.js";

/** The JSON a receiver gets (docs/webhooks.md describes it field by field). */
export type WebhookPayload = {
  event: string;
  deliveryId: string;
  occurredAt: string;
  actor: { id: string; name: string } | null;
  channel: string;
  data: {
    ticket?: Ticket | null;
    changes?: DeliveryFacts["changes"];
    message?: Message | null;
    mergedInto?: DeliveryFacts["mergedInto"];
    sla?: DeliveryFacts["sla"];
    webhook?: DeliveryFacts["webhook"];
  };
};

async function ticketSnapshot(db: Executor, ticketId: string): Promise<Ticket | null> {
  const [row] = await selectTicketRows(db).where(eq(tickets.id, ticketId));
  // The staff view: what the API shows an agent (tags, team, custom fields), never more.
  return row ? presentTicket(row, systemActor) : null;
}

async function messageSnapshot(db: Executor, messageId: string): Promise<Message | null> {
  const [row] = await db
    .select({ message: messages, author: { id: users.id, name: users.name, role: users.role } })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorId))
    .where(eq(messages.id, messageId));
  if (!row) return null;
  const files = await db.select().from(attachments).where(eq(attachments.messageId, messageId));
  return presentMessage({ message: row.message, author: row.author?.id ? row.author : null, attachments: files });
}

async function actorOf(db: Executor, actorId: string | null) {
  if (!actorId) return null;
  const [row] = await db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, actorId));
  return row ?? null;
}

/**
 * The body of a delivery, rendered once, at its first attempt, and then stored: retries and
 * redeliveries send the same bytes. The event's own facts (who, when, which fields changed from
 * what to what, which message) were taken inside the change's transaction; the ticket snapshot is
 * read here, right after the change committed. It cannot be taken earlier: inside the transaction
 * the ticket's number and SLA due date are not final yet. Staff fields only, as the API's staff
 * view; a note is sent with `internal: true`.
 */
export async function renderPayload(db: Executor, delivery: { id: string; event: string; facts: unknown }): Promise<WebhookPayload> {
  const facts = ZDeliveryFacts.parse(delivery.facts);
  const base = { event: delivery.event, deliveryId: delivery.id, occurredAt: facts.occurredAt, actor: await actorOf(db, facts.actorId), channel: facts.channel };
  if (delivery.event === PING_EVENT) return { ...base, data: { webhook: facts.webhook } };
  const data: WebhookPayload["data"] = { ticket: facts.ticketId ? await ticketSnapshot(db, facts.ticketId) : null };
  if (facts.changes) data.changes = facts.changes;
  if (facts.messageId) data.message = await messageSnapshot(db, facts.messageId);
  if (facts.mergedInto) data.mergedInto = facts.mergedInto;
  if (facts.sla) data.sla = facts.sla;
  return { ...base, data };
}
