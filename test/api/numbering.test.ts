import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { like } from "drizzle-orm";
import { tickets } from "../../src/db/schema/index.js";
import { createTicket } from "../../src/commands/tickets/createTicket.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAgent, buildCustomer, type TestUser } from "../helpers/factories.js";

let ctx: TestContext;
let customer: TestUser;
let agent: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  customer = await buildCustomer(ctx);
  agent = await buildAgent(ctx);
});
afterAll(() => ctx.close());

const body = { subject: "Parallel ticket", description: "Filed at the same moment as forty-nine others." };

describe("ticket numbers", () => {
  it("gives 50 parallel creates 50 distinct, gap-free numbers", async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => call(ctx, customer, "POST", "/api/v1/tickets", body)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(201));
    const numbers = responses.map((r) => json<{ number: string }>(r).number);
    const values = numbers.map((n) => Number(n.slice(4))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => values[0]! + i));
  });

  it("leaves no gap when a create is rolled back", async () => {
    const before = (await ctx.db.select({ n: tickets.number }).from(tickets).where(like(tickets.number, "SUP-%"))).length;
    const bad = await call(ctx, agent, "POST", "/api/v1/tickets", { ...body, assigneeId: customer.id });
    expect(bad.statusCode).toBe(422);
    const next = json<{ number: string }>(await call(ctx, customer, "POST", "/api/v1/tickets", body)).number;
    expect(Number(next.slice(4))).toBe(before + 1);
  });

  it("keeps a separate sequence per source prefix", async () => {
    const email = await createTicket({ db: ctx.db, actor: customer.actor, ...body, source: "email", channel: "email" });
    const wa = await createTicket({ db: ctx.db, actor: customer.actor, ...body, source: "whatsapp", channel: "whatsapp" });
    const qc = await createTicket({ db: ctx.db, actor: customer.actor, ...body, source: "qcontact", channel: "qcontact" });
    expect([email.number, wa.number, qc.number]).toEqual(["EML-00001", "WA-00001", "FT00001"]);
  });

  it("never changes a number: PATCH has no number field", async () => {
    const t = json<{ id: string; number: string }>(await call(ctx, customer, "POST", "/api/v1/tickets", body));
    const res = await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { number: "SUP-99999" });
    expect(res.statusCode).toBe(400);
    expect(json(await call(ctx, agent, "GET", `/api/v1/tickets/${t.id}`)).number).toBe(t.number);
  });
});
