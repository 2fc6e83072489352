import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { ticketEvents, tickets } from "../../src/db/schema/index.js";
import { syncTicketSla } from "../../src/commands/sla/syncTicketSla.js";
import { systemActor } from "../../src/domain/systemActor.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";

let ctx: TestContext;
let agent: TestUser;
let customer: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  agent = await buildAgent(ctx);
  customer = await buildCustomer(ctx);
  const admin = await buildAdmin(ctx);
  const policy = await call(ctx, admin, "POST", "/api/v1/sla/policies", {
    name: "Ops, around the clock",
    position: 0,
    conditions: { category: ["ops"] },
    targets: { first_response: { seconds: 3600, timeMode: "calendar" } },
  });
  expect(policy.statusCode).toBe(201);
});
afterAll(() => ctx.close());

/** Moves a ticket's history back in time, then recomputes its clocks as of now. */
async function age(ticketId: string, minutes: number) {
  await ctx.db.execute(sql`update ticket_events set created_at = created_at - make_interval(mins => ${minutes}) where ticket_id = ${ticketId}`);
  await ctx.db.execute(sql`update tickets set created_at = created_at - make_interval(mins => ${minutes}) where id = ${ticketId}`);
  await ctx.db.transaction(async (tx) => {
    const [t] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update");
    await syncTicketSla(tx, t!, systemActor, "test");
  });
}

const ids = async (query: string) => json<{ items: { id: string }[] }>(await call(ctx, agent, "GET", `/api/v1/tickets?${query}&limit=200`)).items.map((t) => t.id);

describe("breaching filters", () => {
  it("lists tickets past their first warning as soon, and overdue ones as breached", async () => {
    const fresh = await buildTicket(ctx, customer, { category: "ops" });
    const warm = await buildTicket(ctx, customer, { category: "ops" });
    const late = await buildTicket(ctx, customer, { category: "ops" });
    await age(warm.id, 50);
    await age(late.id, 70);

    const soon = await ids("breaching=soon");
    expect(soon).toContain(warm.id);
    expect(soon).not.toContain(fresh.id);
    expect(soon).not.toContain(late.id);
    const breached = await ids("breaching=breached");
    expect(breached).toContain(late.id);
    expect(breached).not.toContain(warm.id);
    expect(breached).not.toContain(fresh.id);

    const byDue = await ids("sort=sla_due&category=ops");
    expect(byDue.slice(0, 3)).toEqual([late.id, warm.id, fresh.id]);
    expect((await ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, late.id))).map((e) => e.type)).toContain("sla.policy_applied");
  });
});
