import { describe, expect, it } from "vitest";
import { planFrames } from "./planFrames.js";

const id = "6f1c1c52-7d8e-4a57-9a3c-2f4f7a1e9b10";

describe("planFrames", () => {
  it("turns a creation, an assignment and a public reply into frames everyone in scope gets", () => {
    expect(planFrames([{ type: "ticket.created" }])).toEqual([{ type: "ticket.created", staffOnly: false, changes: ["ticket.created"] }]);
    expect(planFrames([{ type: "ticket.assigned" }])).toEqual([{ type: "ticket.assigned", staffOnly: false, changes: ["ticket.assigned"] }]);
    expect(planFrames([{ type: "reply.added", messageId: id }])).toEqual([{ type: "message.created", staffOnly: false, messageId: id }]);
  });

  it("keeps notes, SLA news and staff-only field changes from customers", () => {
    expect(planFrames([{ type: "note.added", messageId: id }])).toEqual([{ type: "message.created", staffOnly: true, messageId: id }]);
    expect(planFrames([{ type: "sla.warning", metric: "first_response", threshold: 75 }])).toEqual([
      { type: "sla.warning", staffOnly: true, metric: "first_response", threshold: 75 },
    ]);
    for (const type of ["ticket.tags_changed", "ticket.team_changed", "ticket.custom_fields_changed", "ticket.escalation_changed", "ticket.merged_from", "ticket.something_new"]) {
      expect(planFrames([{ type }])).toEqual([{ type: "ticket.updated", staffOnly: true, changes: [type], customerChanges: [] }]);
    }
    expect(planFrames([{ type: "attachment.added", internal: true }])[0]).toMatchObject({ staffOnly: true });
    // An attachment whose visibility the notice does not say is treated as internal.
    expect(planFrames([{ type: "attachment.added" }])[0]).toMatchObject({ staffOnly: true });
    expect(planFrames([{ type: "attachment.added", internal: false }])[0]).toMatchObject({ staffOnly: false });
  });

  it("folds field changes into one ticket.updated, telling customers only the changes they can see", () => {
    expect(planFrames([{ type: "ticket.status_changed" }, { type: "ticket.tags_changed" }, { type: "ticket.priority_changed" }])).toEqual([
      {
        type: "ticket.updated",
        staffOnly: false,
        changes: ["ticket.status_changed", "ticket.tags_changed", "ticket.priority_changed"],
        customerChanges: ["ticket.status_changed", "ticket.priority_changed"],
      },
    ]);
  });

  it("ignores SLA bookkeeping", () => {
    expect(planFrames([{ type: "sla.policy_applied" }])).toEqual([]);
  });

  it("still tells staff about a message whose id was cut from an oversized notice, and customers nothing", () => {
    expect(planFrames([{ type: "reply.added" }])).toEqual([{ type: "ticket.updated", staffOnly: true, changes: ["reply.added"], customerChanges: [] }]);
  });
});
