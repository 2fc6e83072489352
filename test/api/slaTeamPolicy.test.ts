import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";

let ctx: TestContext;
let admin: TestUser;
let agent: TestUser;
let customer: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await buildAdmin(ctx);
  agent = await buildAgent(ctx);
  customer = await buildCustomer(ctx);
});
afterAll(() => ctx.close());

const policyBody = (teamId: string) => ({
  name: "Enterprise team",
  position: 1,
  conditions: { teamId: [teamId] },
  targets: { first_response: { seconds: 900 }, resolution: { seconds: 7200 } },
});

describe("team conditions", () => {
  it("refuses a policy whose conditions name an unknown team, saving nothing", async () => {
    const before = json<{ items: unknown[] }>(await call(ctx, admin, "GET", "/api/v1/sla/policies")).items.length;
    const res = await call(ctx, admin, "POST", "/api/v1/sla/policies", policyBody("2b1e4c8e-8d43-4c43-9d5f-1b0a2d9c6e11"));
    expect(json(res)).toMatchObject({ status: 422, field: "conditions.teamId.0" });
    expect(json<{ items: unknown[] }>(await call(ctx, admin, "GET", "/api/v1/sla/policies")).items).toHaveLength(before);
  });

  it("moves a ticket to the team's policy when it is handed to that team", async () => {
    const team = json<{ id: string }>(await call(ctx, admin, "POST", "/api/v1/teams", { name: "Enterprise" }));
    expect((await call(ctx, admin, "POST", "/api/v1/sla/policies", policyBody(team.id))).statusCode).toBe(201);
    const t = await buildTicket(ctx, customer);
    type Sla = { clocks: { metric: string; targetSeconds: number; policy: { name: string } }[] };
    const before = json<Sla>(await call(ctx, agent, "GET", `/api/v1/tickets/${t.id}/sla`));
    expect(before.clocks.find((c) => c.metric === "first_response")).toMatchObject({ targetSeconds: 8 * 3600, policy: { name: "Medium priority" } });
    await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { teamId: team.id });
    const after = json<Sla>(await call(ctx, agent, "GET", `/api/v1/tickets/${t.id}/sla`));
    expect(after.clocks.find((c) => c.metric === "first_response")).toMatchObject({ targetSeconds: 900, policy: { name: "Enterprise team" } });
  });
});
