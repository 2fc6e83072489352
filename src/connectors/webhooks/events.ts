import { z } from "zod";
import type { RecordedActivity } from "../../commands/tickets/recordTicketEvents.js";

/** The events an admin can subscribe a webhook to. Renaming one breaks receivers: add, never rename. */
export const WEBHOOK_EVENTS = [
  "ticket.created",
  "ticket.updated",
  "ticket.assigned",
  "message.created",
  "ticket.merged",
  "sla.warning",
  "sla.breached",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent by POST /webhooks/{id}/test; every webhook receives it, none subscribes to it. */
export const PING_EVENT = "ping";
export type DeliveryEvent = WebhookEvent | typeof PING_EVENT;

/** History types that change a field of the ticket and are published as `ticket.updated`. */
const UPDATED_TYPES = new Set([
  "ticket.status_changed",
  "ticket.reopened",
  "ticket.priority_changed",
  "ticket.category_changed",
  "ticket.subject_changed",
  "ticket.tags_changed",
  "ticket.custom_fields_changed",
  "ticket.team_changed",
  "ticket.escalation_changed",
]);

const ZChange = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });

/**
 * What happened, taken from the history rows inside the change's transaction, so these values are
 * exact for the moment of the event (the ticket snapshot is added when the delivery first runs).
 */
export const ZDeliveryFacts = z.object({
  // guid, not uuid: the system user's id (…-0001) is not an RFC 4122 version.
  ticketId: z.guid().nullable(),
  actorId: z.guid().nullable(),
  channel: z.string(),
  occurredAt: z.iso.datetime(),
  changes: z.array(ZChange).optional(),
  messageId: z.guid().optional(),
  mergedInto: z.object({ id: z.guid(), number: z.string() }).optional(),
  sla: z.object({ metric: z.string(), threshold: z.number().optional(), breachedAt: z.string().nullable().optional() }).optional(),
  /** ping only: the webhook as it was when the test was requested. */
  webhook: z.object({ id: z.guid(), url: z.string(), events: z.array(z.string()) }).optional(),
});
export type DeliveryFacts = z.infer<typeof ZDeliveryFacts>;

export type PlannedDelivery = { event: WebhookEvent; facts: DeliveryFacts };

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {});

/**
 * The public events one recorded activity stands for. Field changes made together are one
 * `ticket.updated` with a list of changes; history types with no public meaning (SLA policy
 * applied, first response, attachment added, the merge target's side) publish nothing.
 */
export function plannedDeliveries(activity: RecordedActivity): PlannedDelivery[] {
  const base: DeliveryFacts = {
    ticketId: activity.ticketId,
    actorId: activity.actorId,
    channel: activity.channel,
    occurredAt: activity.at.toISOString(),
  };
  const planned: PlannedDelivery[] = [];
  const changes: DeliveryFacts["changes"] = [];
  const assignments: DeliveryFacts["changes"] = [];
  for (const e of activity.events) {
    const to = record(e.to);
    switch (e.type) {
      case "ticket.created":
        planned.push({ event: "ticket.created", facts: base });
        break;
      case "ticket.assigned":
        assignments.push({ field: e.field ?? "assigneeId", from: e.from ?? null, to: e.to ?? null });
        break;
      case "reply.added":
      case "note.added":
        if (typeof to.messageId === "string") planned.push({ event: "message.created", facts: { ...base, messageId: to.messageId } });
        break;
      case "ticket.merged_into":
        if (typeof to.id === "string" && typeof to.number === "string") {
          planned.push({ event: "ticket.merged", facts: { ...base, mergedInto: { id: to.id, number: to.number } } });
        }
        break;
      case "sla.warning":
        planned.push({ event: "sla.warning", facts: { ...base, sla: { metric: String(to.metric), ...(typeof to.threshold === "number" ? { threshold: to.threshold } : {}) } } });
        break;
      case "sla.breached":
        planned.push({ event: "sla.breached", facts: { ...base, sla: { metric: String(to.metric), breachedAt: typeof to.breachedAt === "string" ? to.breachedAt : null } } });
        break;
      default:
        if (UPDATED_TYPES.has(e.type)) changes.push({ field: e.field ?? e.type, from: e.from ?? null, to: e.to ?? null });
    }
  }
  if (assignments.length) planned.push({ event: "ticket.assigned", facts: { ...base, changes: assignments } });
  if (changes.length) planned.push({ event: "ticket.updated", facts: { ...base, changes } });
  return planned;
}
