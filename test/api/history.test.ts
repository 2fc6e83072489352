import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { ticketEvents } from "../../src/db/schema/index.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";

let ctx: TestContext;
let agent: TestUser;
let customer: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  agent = await buildAgent(ctx);
  customer = await buildCustomer(ctx);
});
afterAll(() => ctx.close());

/** Ticket history without the SLA engine's own entries (sla.*), which sla.test.ts covers. */
const events = async (ticketId: string) =>
  (await ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(ticketEvents.id)).filter((e) => !e.type.startsWith("sla."));

describe("ticket history", () => {
  it("records one event per changed field, with who, channel, from and to", async () => {
    const t = await buildTicket(ctx, customer);
    const team = json<{ id: string }>(await call(ctx, await buildAdmin(ctx), "POST", "/api/v1/teams", { name: "History team" }));
    const changes: [Record<string, unknown>, string, unknown, unknown][] = [
      [{ subject: "Printer jammed on floor 3" }, "ticket.subject_changed", "Printer on floor 3 is jammed", "Printer jammed on floor 3"],
      [{ category: "hardware" }, "ticket.category_changed", "general", "hardware"],
      [{ priority: "high" }, "ticket.priority_changed", "medium", "high"],
      [{ teamId: team.id }, "ticket.team_changed", null, team.id],
      [{ assigneeId: agent.id }, "ticket.assigned", null, agent.id],
      [{ tags: ["Printer", "floor-3"] }, "ticket.tags_changed", [], ["printer", "floor-3"]],
      [{ customFields: { asset: "PR-339" } }, "ticket.custom_fields_changed", {}, { asset: "PR-339" }],
      [{ isEscalated: true }, "ticket.escalation_changed", false, true],
      [{ status: "resolved" }, "ticket.status_changed", "open", "resolved"],
    ];
    for (const [body, type, from, to] of changes) {
      const before = (await events(t.id)).length;
      const res = await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, body);
      expect(res.statusCode, JSON.stringify(json(res))).toBe(200);
      const after = await events(t.id);
      expect(after).toHaveLength(before + 1);
      expect(after.at(-1)).toMatchObject({ type, fromValue: from, toValue: to, actorId: agent.id, channel: "api" });
    }
  });

  it("writes nothing when a PATCH changes nothing", async () => {
    const t = await buildTicket(ctx, customer);
    const res = await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { priority: "medium", status: "open" });
    expect(res.statusCode).toBe(200);
    expect((await events(t.id)).map((e) => e.type)).toEqual(["ticket.created"]);
  });

  it("records replies, notes, the first response and a reopen by customer reply", async () => {
    const t = await buildTicket(ctx, customer);
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "note", internal: true });
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "public answer" });
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "second answer" });
    await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "resolved" });
    await call(ctx, customer, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "Still broken, sorry." });
    const types = (await events(t.id)).map((e) => e.type);
    expect(types).toEqual([
      "ticket.created",
      "note.added",
      "reply.added",
      "ticket.first_response",
      "reply.added",
      "ticket.status_changed",
      "reply.added",
      "ticket.reopened",
    ]);
    const customerView = json<{ items: { type: string }[] }>(await call(ctx, customer, "GET", `/api/v1/tickets/${t.id}/events`));
    expect(customerView.items.map((e) => e.type)).not.toContain("note.added");
    expect(customerView.items.map((e) => e.type)).toContain("ticket.reopened");
  });
});
