import { eq } from "drizzle-orm";
import { tickets } from "../../db/schema/index.js";
import type { Tx } from "../../db/client.js";
import { recordTicketEvents } from "./recordTicketEvents.js";
import type { TicketEventInput } from "../../db/repositories/ticketEvents.js";
import { requireAssignable, requireTeam } from "../../db/repositories/people.js";
import type { TicketRow } from "../../db/repositories/findTicket.js";
import { allowedNextStatuses, canReopen, canTransition, type TicketStatus } from "../../domain/ticketStatus.js";
import { normalizeTags } from "../../domain/tags.js";
import { syncTicketSla } from "../sla/syncTicketSla.js";
import { noticeAssigned } from "../notifications/ticketNotices.js";
import { enqueueEmail } from "../../connectors/email/outbound/enqueueEmail.js";
import { AppError } from "../../errors.js";
import type { Actor } from "../../policies/actor.js";
import { authorizeTicketChange, type TicketChangeRequest } from "../../policies/ticketPolicy.js";

type TicketUpdate = Partial<typeof tickets.$inferInsert>;

/** Status-dependent timestamps; a reopen clears the resolution marks. */
function statusTimestamps(to: TicketStatus, now: Date): TicketUpdate {
  if (to === "resolved") return { resolvedAt: now };
  if (to === "closed") return { closedAt: now };
  return { resolvedAt: null, closedAt: null };
}

function planStatus(ticket: TicketRow, to: TicketStatus): TicketEventInput {
  if (to === "open" && canReopen(ticket.status, ticket.mergedIntoId !== null)) {
    return { type: "ticket.reopened", field: "status", from: ticket.status, to };
  }
  if (!canTransition(ticket.status, to)) {
    throw new AppError("ILLEGAL_TRANSITION", `cannot move a ${ticket.status} ticket to ${to}`, {
      from: ticket.status,
      to,
      allowed: [...allowedNextStatuses(ticket.status), ...(canReopen(ticket.status, ticket.mergedIntoId !== null) ? ["open"] : [])],
    });
  }
  return { type: "ticket.status_changed", field: "status", from: ticket.status, to };
}

const sameTags = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * Applies a change to a locked ticket inside the caller's transaction: checks the policy and
 * the state machine, writes only the fields that differ, and appends one event per field.
 */
export async function applyTicketChanges(
  tx: Tx,
  actor: Actor,
  ticket: TicketRow,
  change: TicketChangeRequest,
  channel: string,
): Promise<TicketRow> {
  authorizeTicketChange(actor, change);
  const now = new Date();
  const update: TicketUpdate = {};
  const events: TicketEventInput[] = [];
  const field = <K extends keyof TicketRow>(key: K, value: TicketRow[K], type = `ticket.${String(key)}_changed`) => {
    if (ticket[key] === value) return;
    Object.assign(update, { [key]: value });
    events.push({ type, field: String(key), from: ticket[key], to: value });
  };

  if (change.status !== undefined && change.status !== ticket.status) {
    events.push(planStatus(ticket, change.status));
    Object.assign(update, { status: change.status }, statusTimestamps(change.status, now));
  }
  if (change.priority !== undefined) field("priority", change.priority);
  if (change.category !== undefined) field("category", change.category);
  if (change.subject !== undefined) field("subject", change.subject);
  if (change.isEscalated !== undefined) field("isEscalated", change.isEscalated, "ticket.escalation_changed");
  if (change.assigneeId !== undefined) {
    if (change.assigneeId) await requireAssignable(tx, change.assigneeId);
    field("assigneeId", change.assigneeId, "ticket.assigned");
  }
  if (change.teamId !== undefined) {
    if (change.teamId) await requireTeam(tx, change.teamId);
    field("teamId", change.teamId, "ticket.team_changed");
  }
  if (change.tags !== undefined) {
    const tags = normalizeTags(change.tags);
    if (!sameTags(tags, ticket.tags)) {
      update.tags = tags;
      events.push({ type: "ticket.tags_changed", field: "tags", from: ticket.tags, to: tags });
    }
  }
  if (change.customFields !== undefined) {
    const merged = { ...ticket.customFields, ...change.customFields };
    if (JSON.stringify(merged) !== JSON.stringify(ticket.customFields)) {
      update.customFields = merged;
      events.push({ type: "ticket.custom_fields_changed", field: "customFields", from: ticket.customFields, to: merged });
    }
  }

  if (events.length === 0) return ticket;
  const [updated] = await tx
    .update(tickets)
    .set({ ...update, updatedAt: now })
    .where(eq(tickets.id, ticket.id))
    .returning();
  if (!updated) throw new Error("ticket update returned no row");
  await recordTicketEvents(tx, ticket.id, actor, channel, events, now);
  await syncTicketSla(tx, updated, actor, channel, now);
  if (update.assigneeId !== undefined) await noticeAssigned(tx, actor, updated);
  if (update.status === "resolved") await enqueueEmail(tx, { ticketId: ticket.id, kind: "resolved" });
  if (update.isEscalated === true) await enqueueEmail(tx, { ticketId: ticket.id, kind: "escalation" });
  return updated;
}
