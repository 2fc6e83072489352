import type { NoticeEvent } from "./activityNotice.js";

/** Frame types a client of the stream can receive about a ticket. */
export type StreamEventType = "ticket.created" | "ticket.updated" | "ticket.assigned" | "message.created" | "sla.warning" | "sla.breached";

/** One frame to send for a committed activity, and who may have it. */
export type FramePlan =
  | { type: "ticket.created" | "ticket.assigned"; staffOnly: false; changes: string[] }
  | { type: "ticket.updated"; staffOnly: boolean; changes: string[]; customerChanges: string[] }
  | { type: "message.created"; staffOnly: boolean; messageId: string }
  | { type: "sla.warning" | "sla.breached"; staffOnly: true; metric: string | null; threshold: number | null };

/**
 * Changes to fields a customer's view of the ticket shows. Anything else that touches a ticket
 * (tags, team, custom fields, escalation, a merge into it, an internal file, and any type added
 * later) is news for staff only: a customer is not even told that it happened.
 */
const customerVisibleChanges = new Set([
  "ticket.status_changed",
  "ticket.reopened",
  "ticket.priority_changed",
  "ticket.category_changed",
  "ticket.subject_changed",
  "ticket.merged_into",
  "ticket.first_response",
]);

const isCustomerVisible = (e: NoticeEvent) => customerVisibleChanges.has(e.type) || (e.type === "attachment.added" && e.internal === false);

/**
 * The frames one activity becomes. Pure, so the visibility rules can be read and tested in one
 * place; the hub then only asks "staff, or a customer who may see this ticket?".
 */
export function planFrames(events: readonly NoticeEvent[]): FramePlan[] {
  const plans: FramePlan[] = [];
  const updates: NoticeEvent[] = [];
  for (const e of events) {
    switch (e.type) {
      case "ticket.created":
        plans.push({ type: "ticket.created", staffOnly: false, changes: [e.type] });
        break;
      case "ticket.assigned":
        // The assignee is part of the customer's view of a ticket.
        plans.push({ type: "ticket.assigned", staffOnly: false, changes: [e.type] });
        break;
      case "reply.added":
      case "note.added":
        // Without an id (an oversized notice) there is nothing to present; staff still get the
        // ticket.updated below, a customer nothing.
        if (e.messageId) plans.push({ type: "message.created", staffOnly: e.type === "note.added", messageId: e.messageId });
        else updates.push({ type: e.type });
        break;
      case "sla.warning":
      case "sla.breached":
        plans.push({ type: e.type, staffOnly: true, metric: e.metric ?? null, threshold: e.threshold ?? null });
        break;
      default:
        // Other sla.* events (a policy applied) are bookkeeping, not news.
        if (e.type.startsWith("ticket.") || e.type === "attachment.added") updates.push(e);
    }
  }
  if (updates.length > 0) {
    const customerChanges = updates.filter(isCustomerVisible).map((e) => e.type);
    plans.push({ type: "ticket.updated", staffOnly: customerChanges.length === 0, changes: updates.map((e) => e.type), customerChanges });
  }
  return plans;
}
