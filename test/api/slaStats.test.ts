import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";

let ctx: TestContext;
let agent: TestUser;
let customer: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  agent = await buildAgent(ctx);
  customer = await buildCustomer(ctx);
});
afterAll(() => ctx.close());

type Stats = { items: { metric: string; group: string | null; total: number; metInTime: number; breached: number; pending: number; compliance: number | null }[] };

describe("SLA compliance stats", () => {
  it("counts met, breached and pending clocks per metric and priority", async () => {
    const answered = await buildTicket(ctx, customer, { priority: "high" });
    await buildTicket(ctx, customer, { priority: "high" });
    await call(ctx, agent, "POST", `/api/v1/tickets/${answered.id}/messages`, { body: "On it." });

    const res = await call(ctx, agent, "GET", "/api/v1/stats/sla?groupBy=priority");
    expect(res.statusCode).toBe(200);
    const first = json<Stats>(res).items.find((i) => i.metric === "first_response" && i.group === "high");
    expect(first).toEqual({ metric: "first_response", group: "high", total: 2, metInTime: 1, breached: 0, pending: 1, compliance: 100 });
    const resolution = json<Stats>(res).items.find((i) => i.metric === "resolution" && i.group === "high");
    expect(resolution).toMatchObject({ total: 2, pending: 2, compliance: null });
  });

  it("is for staff only and checks the range", async () => {
    expect((await call(ctx, customer, "GET", "/api/v1/stats/sla")).statusCode).toBe(403);
    const bad = await call(ctx, agent, "GET", "/api/v1/stats/sla?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
    expect(json(bad)).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
  });
});
