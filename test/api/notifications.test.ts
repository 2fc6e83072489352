import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";

let ctx: TestContext;
let lead: TestUser;
let agent: TestUser;
let customer: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  lead = await buildAgent(ctx);
  agent = await buildAgent(ctx);
  customer = await buildCustomer(ctx);
});
afterAll(() => ctx.close());

type Notices = { items: { id: string; kind: string; ticketId: string; title: string; readAt: string | null }[] };
const inbox = async (who: TestUser, query = "") => json<Notices>(await call(ctx, who, "GET", `/api/v1/notifications${query}`)).items;
const unread = async (who: TestUser) => json<{ unread: number }>(await call(ctx, who, "GET", "/api/v1/notifications/count")).unread;

describe("in-app notifications", () => {
  it("tells an agent a ticket was assigned to them, but not when they took it themselves", async () => {
    const t = await buildTicket(ctx, customer);
    await call(ctx, lead, "PATCH", `/api/v1/tickets/${t.id}`, { assigneeId: agent.id });
    expect((await inbox(agent)).filter((n) => n.ticketId === t.id).map((n) => n.kind)).toEqual(["ticket.assigned"]);
    const own = await buildTicket(ctx, customer);
    await call(ctx, lead, "PATCH", `/api/v1/tickets/${own.id}`, { assigneeId: lead.id });
    expect((await inbox(lead)).some((n) => n.ticketId === own.id)).toBe(false);
  });

  it("tells the assignee when the customer replies, and mentioned agents about a note", async () => {
    const t = await buildTicket(ctx, customer);
    await call(ctx, lead, "PATCH", `/api/v1/tickets/${t.id}`, { assigneeId: agent.id });
    await call(ctx, customer, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "Any update?" });
    expect((await inbox(agent)).filter((n) => n.ticketId === t.id).map((n) => n.kind)).toContain("ticket.customer_replied");

    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: `@${lead.email} can you check the gateway? cc @${customer.email}`, internal: true });
    expect((await inbox(lead)).filter((n) => n.ticketId === t.id).map((n) => n.kind)).toEqual(["note.mention"]);
    // A customer named in a note is never told about it.
    expect((await inbox(customer)).some((n) => n.ticketId === t.id)).toBe(false);
  });

  it("counts unread notices and marks them read, only for their owner", async () => {
    const before = await unread(agent);
    expect(before).toBeGreaterThan(0);
    const [first] = await inbox(agent, "?unread=true");
    expect((await call(ctx, lead, "POST", `/api/v1/notifications/${first!.id}/read`)).statusCode).toBe(404);
    expect((await call(ctx, agent, "POST", `/api/v1/notifications/${first!.id}/read`)).statusCode).toBe(204);
    expect(await unread(agent)).toBe(before - 1);
    expect((await inbox(agent, "?unread=true")).map((n) => n.id)).not.toContain(first!.id);
  });
});
