import { eq } from "drizzle-orm";
import { attachments, messages, tickets } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { findTicketsForUpdate, ticketRefIs, type TicketRow } from "../../db/repositories/findTicket.js";
import { recordTicketEvents } from "./recordTicketEvents.js";
import { normalizeTags } from "../../domain/tags.js";
import { AppError, notFound } from "../../errors.js";
import type { Actor } from "../../policies/actor.js";
import { requireStaff } from "../../policies/ticketPolicy.js";
import { syncTicketSla } from "../sla/syncTicketSla.js";

/**
 * Merges a duplicate into a target: its messages and attachments move to the target, its tags
 * are added there, and it is closed with `mergedInto`. Both histories record the merge.
 */
export async function mergeTickets(options: {
  db: Db;
  actor: Actor;
  sourceRef: string;
  targetRef: string;
  channel: string;
}): Promise<{ source: TicketRow; target: TicketRow }> {
  const { actor } = options;
  requireStaff(actor);
  return options.db.transaction(async (tx) => {
    const locked = await findTicketsForUpdate(tx, actor, [options.sourceRef, options.targetRef]);
    const source = locked.find((t) => ticketRefIs(t, options.sourceRef));
    const target = locked.find((t) => ticketRefIs(t, options.targetRef));
    if (!source) throw notFound("ticket");
    if (!target) throw new AppError("UNPROCESSABLE", "the merge target does not exist", { field: "into" });
    if (source.id === target.id) throw new AppError("UNPROCESSABLE", "a ticket cannot be merged into itself", { field: "into" });
    if (source.mergedIntoId) throw new AppError("ALREADY_MERGED", `${source.number} is already merged`);
    if (target.status === "closed") {
      throw new AppError("CONFLICT", `${target.number} is closed; merge into an open ticket`, { field: "into" });
    }

    const now = new Date();
    const moved = await tx
      .update(messages)
      .set({ ticketId: target.id })
      .where(eq(messages.ticketId, source.id))
      .returning({ id: messages.id });
    const movedFiles = await tx
      .update(attachments)
      .set({ ticketId: target.id })
      .where(eq(attachments.ticketId, source.id))
      .returning({ id: attachments.id });
    // The source's own description would otherwise vanish from the target's thread.
    await tx.insert(messages).values({
      ticketId: target.id,
      authorId: actor.id,
      body: `Merged from ${source.number}: ${source.subject}\n\n${source.description}`,
      isInternal: true,
      channel: "system",
      createdAt: now,
    });

    const [updatedTarget] = await tx
      .update(tickets)
      .set({ tags: normalizeTags([...target.tags, ...source.tags]), updatedAt: now })
      .where(eq(tickets.id, target.id))
      .returning();
    const [updatedSource] = await tx
      .update(tickets)
      .set({ status: "closed", closedAt: now, mergedIntoId: target.id, updatedAt: now })
      .where(eq(tickets.id, source.id))
      .returning();
    if (!updatedTarget || !updatedSource) throw new Error("merge update returned no row");

    const counts = { messages: moved.length, attachments: movedFiles.length };
    await recordTicketEvents(tx, source.id, actor, options.channel, [
      { type: "ticket.merged_into", field: "mergedInto", from: null, to: { id: target.id, number: target.number, ...counts } },
      ...(source.status === "closed" ? [] : [{ type: "ticket.status_changed", field: "status", from: source.status, to: "closed" }]),
    ], now);
    await recordTicketEvents(tx, target.id, actor, options.channel, [
      { type: "ticket.merged_from", field: "mergedFrom", from: null, to: { id: source.id, number: source.number, ...counts } },
    ], now);
    await syncTicketSla(tx, updatedSource, actor, options.channel, now);
    // The target gained tags, which a policy's conditions may match.
    await syncTicketSla(tx, updatedTarget, actor, options.channel, now);
    return { source: updatedSource, target: updatedTarget };
  });
}
