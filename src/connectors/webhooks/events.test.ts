import { describe, expect, it } from "vitest";
import type { RecordedActivity } from "../../commands/tickets/recordTicketEvents.js";
import { plannedDeliveries } from "./events.js";

const activity = (events: RecordedActivity["events"]): RecordedActivity => ({
  ticketId: "3f1c3a56-8a59-4a38-9d8e-2b6f2f2f0a11",
  actorId: "0d8f4e0e-7a3c-4f55-9a5e-0f6d8f5d9b22",
  channel: "api",
  events,
  at: new Date("2026-03-01T10:00:00.000Z"),
});

describe("public webhook events of a recorded activity", () => {
  it("folds field changes into one ticket.updated and keeps the assignment apart", () => {
    const planned = plannedDeliveries(
      activity([
        { type: "ticket.status_changed", field: "status", from: "open", to: "in_progress" },
        { type: "ticket.reopened", field: "status", from: "resolved", to: "open" },
        { type: "ticket.priority_changed", field: "priority", from: "low", to: "high" },
        { type: "ticket.category_changed", field: "category", from: "general", to: "billing" },
        { type: "ticket.subject_changed", field: "subject", from: "a", to: "b" },
        { type: "ticket.tags_changed", field: "tags", from: [], to: ["vip"] },
        { type: "ticket.custom_fields_changed", field: "customFields", from: {}, to: { plan: "gold" } },
        { type: "ticket.team_changed", field: "teamId", from: null, to: "5b7e4a43-0000-4000-8000-000000000001" },
        { type: "ticket.escalation_changed", field: "isEscalated", from: false, to: true },
        { type: "ticket.assigned", field: "assigneeId", from: null, to: "5b7e4a43-0000-4000-8000-000000000002" },
      ]),
    );
    expect(planned.map((p) => p.event)).toEqual(["ticket.assigned", "ticket.updated"]);
    expect(planned[0]!.facts.changes).toEqual([{ field: "assigneeId", from: null, to: "5b7e4a43-0000-4000-8000-000000000002" }]);
    expect(planned[1]!.facts.changes!.map((c) => c.field)).toEqual(["status", "status", "priority", "category", "subject", "tags", "customFields", "teamId", "isEscalated"]);
    expect(planned[1]!.facts).toMatchObject({ ticketId: activity([]).ticketId, channel: "api", occurredAt: "2026-03-01T10:00:00.000Z" });
  });

  it("maps creation, messages, merges and SLA events, and nothing else", () => {
    const messageId = "9a0f5e1c-1111-4222-8333-444455556666";
    const intoId = "9a0f5e1c-1111-4222-8333-777788889999";
    const planned = plannedDeliveries(
      activity([
        { type: "ticket.created", to: { number: null, status: "open" } },
        { type: "note.added", to: { messageId, attachments: 0, authorSide: "staff" } },
        { type: "reply.added", to: { messageId, attachments: 0, authorSide: "staff" } },
        { type: "ticket.merged_into", field: "mergedInto", from: null, to: { id: intoId, number: "SUP-00002", messages: 1, attachments: 0 } },
        { type: "sla.warning", to: { metric: "resolution", threshold: 75 } },
        { type: "sla.breached", to: { metric: "first_response", breachedAt: "2026-03-01T09:00:00.000Z" } },
        { type: "ticket.merged_from", field: "mergedFrom", from: null, to: { id: intoId, number: "SUP-00002" } },
        { type: "ticket.first_response", field: "firstRespondedAt", from: null, to: "2026-03-01T10:00:00.000Z" },
        { type: "sla.policy_applied", to: { policyId: intoId } },
        { type: "attachment.added", to: { id: intoId } },
      ]),
    );
    expect(planned.map((p) => p.event)).toEqual(["ticket.created", "message.created", "message.created", "ticket.merged", "sla.warning", "sla.breached"]);
    expect(planned[1]!.facts.messageId).toBe(messageId);
    expect(planned[3]!.facts.mergedInto).toEqual({ id: intoId, number: "SUP-00002" });
    expect(planned[4]!.facts.sla).toEqual({ metric: "resolution", threshold: 75 });
    expect(planned[5]!.facts.sla).toEqual({ metric: "first_response", breachedAt: "2026-03-01T09:00:00.000Z" });
  });

  it("plans nothing for an activity with no public meaning", () => {
    expect(plannedDeliveries(activity([{ type: "sla.policy_applied", to: {} }]))).toEqual([]);
  });
});
