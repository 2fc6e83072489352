import { and, eq, inArray, isNull } from "drizzle-orm";
import { attachments, messages, tickets } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { findTicket } from "../../db/repositories/findTicket.js";
import { recordTicketEvents } from "./recordTicketEvents.js";
import type { TicketEventInput } from "../../db/repositories/ticketEvents.js";
import { statusAfterCustomerReply } from "../../domain/ticketStatus.js";
import { AppError } from "../../errors.js";
import { isStaff, type Actor } from "../../policies/actor.js";
import { syncTicketSla } from "../sla/syncTicketSla.js";
import { noticeCustomerReplied, noticeMentions } from "../notifications/ticketNotices.js";
import { enqueueEmail } from "../../connectors/email/outbound/enqueueEmail.js";

export type MessageRow = typeof messages.$inferSelect;

/**
 * Adds a public reply or an internal note. A requester's reply moves a ticket that waits on
 * them back to work; an agent's first public reply stamps the first response.
 */
export async function replyToTicket(options: {
  db: Db;
  actor: Actor;
  ticketRef: string;
  body: string;
  isInternal: boolean;
  channel: string;
  attachmentIds?: string[] | undefined;
}): Promise<MessageRow> {
  const { actor, isInternal } = options;
  const staff = isStaff(actor);
  if (isInternal && !staff) throw new AppError("FORBIDDEN", "customers cannot write internal notes", { field: "internal" });

  return options.db.transaction(async (tx) => {
    const ticket = await findTicket(tx, actor, options.ticketRef, { forUpdate: true });
    if (ticket.status === "closed") {
      throw new AppError("ILLEGAL_TRANSITION", "the ticket is closed; reopen it before replying", {
        from: "closed",
        allowed: ticket.mergedIntoId ? [] : ["open"],
      });
    }
    const now = new Date();
    const [message] = await tx
      .insert(messages)
      .values({ ticketId: ticket.id, authorId: actor.id, body: options.body, isInternal, channel: options.channel, createdAt: now })
      .returning();
    if (!message) throw new Error("message insert returned no row");

    const ids = [...new Set(options.attachmentIds ?? [])];
    if (ids.length > 0) {
      const claimed = await tx
        .update(attachments)
        .set({ messageId: message.id, isInternal })
        .where(
          and(
            inArray(attachments.id, ids),
            eq(attachments.ticketId, ticket.id),
            isNull(attachments.messageId),
            // A customer may not claim (and so publish) a staff-only upload.
            staff ? undefined : eq(attachments.isInternal, false),
          ),
        )
        .returning({ id: attachments.id });
      if (claimed.length !== ids.length) {
        throw new AppError("UNPROCESSABLE", "attachmentIds must be unused uploads on this ticket", { field: "attachmentIds" });
      }
    }

    const events: TicketEventInput[] = [
      {
        type: isInternal ? "note.added" : "reply.added",
        // The SLA engine replays these: which side wrote decides first/next response.
        to: { messageId: message.id, attachments: ids.length, authorSide: staff ? "staff" : "requester" },
      },
    ];
    const update: Partial<typeof tickets.$inferInsert> = { updatedAt: now };
    const isRequesterSide = !staff;
    const nextStatus = isRequesterSide ? statusAfterCustomerReply(ticket.status) : null;
    if (nextStatus) {
      update.status = nextStatus;
      update.resolvedAt = null;
      events.push({
        type: ticket.status === "resolved" ? "ticket.reopened" : "ticket.status_changed",
        field: "status",
        from: ticket.status,
        to: nextStatus,
      });
    }
    if (staff && !isInternal && ticket.firstRespondedAt === null) {
      update.firstRespondedAt = now;
      events.push({ type: "ticket.first_response", field: "firstRespondedAt", from: null, to: now.toISOString() });
    }
    const [updated] = await tx.update(tickets).set(update).where(eq(tickets.id, ticket.id)).returning();
    await recordTicketEvents(tx, ticket.id, actor, options.channel, events, now);
    await syncTicketSla(tx, updated!, actor, options.channel, now);
    if (isRequesterSide) await noticeCustomerReplied(tx, actor, updated!);
    if (isInternal) await noticeMentions(tx, actor, updated!, options.body);
    // Only a staff public reply is mailed; a note never is (renderEmail refuses one as well).
    if (staff && !isInternal) await enqueueEmail(tx, { ticketId: ticket.id, kind: "reply", messageId: message.id });
    return message;
  });
}
