import { and, eq } from "drizzle-orm";
import type { Executor } from "../../../db/client.js";
import { messages, tickets, users } from "../../../db/schema/index.js";
import { PermanentJobError } from "../../../jobs/defineJob.js";
import { agentReplyEmail, slaEscalationEmail, ticketReceivedEmail, ticketResolvedEmail, type RenderedEmail, type TicketFacts } from "./templates.js";

export const EMAIL_KINDS = ["received", "reply", "resolved", "escalation"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export type EmailToSend = RenderedEmail & { to: string };

async function userEmail(db: Executor, id: string | null) {
  if (!id) return null;
  const [user] = await db.select({ email: users.email, name: users.name, isActive: users.isActive }).from(users).where(eq(users.id, id));
  return user ?? null;
}

/**
 * Builds a mail from the database as it is now (a job payload never carries the text), or null
 * when there is no one to send it to. This is the one place that decides what a mail may contain:
 * a reply mail reads one public message by id, and refuses an internal note outright, so a
 * note's text cannot reach a customer even through a wrong enqueue.
 */
export async function renderEmail(db: Executor, input: { ticketId: string; kind: EmailKind; messageId?: string | undefined; publicUrl: string }): Promise<EmailToSend | null> {
  const [ticket] = await db.select().from(tickets).where(eq(tickets.id, input.ticketId));
  if (!ticket) return null; // deleted since: nothing to say
  const facts: TicketFacts = { number: ticket.number, subject: ticket.subject, portalUrl: `${input.publicUrl}/tickets/${encodeURIComponent(ticket.number)}` };
  const requester = await userEmail(db, ticket.requesterId);

  switch (input.kind) {
    case "received":
      return requester ? { to: requester.email, ...ticketReceivedEmail(facts) } : null;
    case "resolved":
      return requester ? { to: requester.email, ...ticketResolvedEmail(facts) } : null;
    case "reply": {
      if (!input.messageId) throw new PermanentJobError("a reply mail needs a messageId");
      const [message] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.id, input.messageId), eq(messages.ticketId, ticket.id)));
      if (!message) return null;
      if (message.isInternal) throw new PermanentJobError("refusing to mail an internal note");
      const author = await userEmail(db, message.authorId);
      return requester ? { to: requester.email, ...agentReplyEmail(facts, { authorName: author?.name ?? "Support", body: message.body }) } : null;
    }
    case "escalation": {
      // To the assignee; an unassigned escalation is left to the in-app notices and the queue.
      const assignee = await userEmail(db, ticket.assigneeId);
      if (!assignee?.isActive) return null;
      return { to: assignee.email, ...slaEscalationEmail({ ...facts, priority: ticket.priority, dueAt: ticket.slaDueAt }) };
    }
  }
}
