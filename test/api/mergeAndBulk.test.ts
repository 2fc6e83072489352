import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { messages, ticketEvents, tickets } from "../../src/db/schema/index.js";
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

const row = async (id: string) => (await ctx.db.select().from(tickets).where(eq(tickets.id, id)))[0]!;
const eventTypes = async (id: string) =>
  (await ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, id)).orderBy(ticketEvents.id)).map((e) => e.type);

describe("merge", () => {
  it("moves messages into the target, closes the source with mergedInto, and records both histories", async () => {
    const source = await buildTicket(ctx, customer, { subject: "Duplicate: cannot pay" });
    const target = await buildTicket(ctx, customer, { subject: "Cannot pay with card" });
    await call(ctx, customer, "POST", `/api/v1/tickets/${source.id}/messages`, { body: "Second try also failed." });
    await call(ctx, agent, "POST", `/api/v1/tickets/${source.id}/messages`, { body: "Checking the gateway logs.", internal: true });

    const res = await call(ctx, agent, "POST", `/api/v1/tickets/${source.number}/merge`, { into: target.number });
    expect(res.statusCode).toBe(200);
    const body = json<{ source: { status: string; mergedIntoId: string } }>(res);
    expect(body.source).toMatchObject({ status: "closed", mergedIntoId: target.id });

    expect(await ctx.db.select().from(messages).where(eq(messages.ticketId, source.id))).toHaveLength(0);
    const moved = await ctx.db.select().from(messages).where(eq(messages.ticketId, target.id));
    expect(moved.map((m) => m.body)).toEqual(expect.arrayContaining(["Second try also failed.", "Checking the gateway logs."]));
    // The source's description is kept on the target as an internal system note.
    expect(moved.some((m) => m.isInternal && m.body.includes(source.number))).toBe(true);

    expect((await row(source.id)).closedAt).not.toBeNull();
    expect(await eventTypes(source.id)).toEqual(expect.arrayContaining(["ticket.merged_into", "ticket.status_changed"]));
    expect(await eventTypes(target.id)).toContain("ticket.merged_from");
  });

  it("lets the customer see the moved public reply but not the moved internal note", async () => {
    const source = await buildTicket(ctx, customer);
    const target = await buildTicket(ctx, customer);
    await call(ctx, customer, "POST", `/api/v1/tickets/${source.id}/messages`, { body: "public words" });
    await call(ctx, agent, "POST", `/api/v1/tickets/${source.id}/messages`, { body: "secret-merge-note", internal: true });
    await call(ctx, agent, "POST", `/api/v1/tickets/${source.id}/merge`, { into: target.id });
    const view = await call(ctx, customer, "GET", `/api/v1/tickets/${target.id}`);
    expect(view.body).toContain("public words");
    expect(view.body).not.toContain("secret-merge-note");
  });

  it("refuses merging twice, into itself, into a closed ticket, or by a customer", async () => {
    const a = await buildTicket(ctx, customer);
    const b = await buildTicket(ctx, customer);
    const closed = await buildTicket(ctx, customer);
    await call(ctx, agent, "PATCH", `/api/v1/tickets/${closed.id}`, { status: "closed" });

    expect((await call(ctx, customer, "POST", `/api/v1/tickets/${a.id}/merge`, { into: b.id })).statusCode).toBe(403);
    expect(json(await call(ctx, agent, "POST", `/api/v1/tickets/${a.id}/merge`, { into: a.id }))).toMatchObject({ status: 422 });
    expect(json(await call(ctx, agent, "POST", `/api/v1/tickets/${a.id}/merge`, { into: closed.id }))).toMatchObject({ status: 409 });
    expect((await call(ctx, agent, "POST", `/api/v1/tickets/${a.id}/merge`, { into: b.id })).statusCode).toBe(200);
    const again = await call(ctx, agent, "POST", `/api/v1/tickets/${a.id}/merge`, { into: b.id });
    expect(json(again)).toMatchObject({ status: 409, code: "ALREADY_MERGED" });
    const reopen = await call(ctx, agent, "PATCH", `/api/v1/tickets/${a.id}`, { status: "open" });
    expect(json(reopen)).toMatchObject({ status: 409, code: "ILLEGAL_TRANSITION" });
  });
});

describe("bulk update", () => {
  it("assigns many tickets in one call and reports each result", async () => {
    const ts = await Promise.all([1, 2, 3].map(() => buildTicket(ctx, customer)));
    const res = await call(ctx, agent, "POST", "/api/v1/tickets/bulk", {
      ids: ts.map((t) => t.number),
      changes: { assigneeId: agent.id, priority: "high", addTags: ["VIP", "billing"] },
    });
    expect(res.statusCode).toBe(200);
    const { results } = json<{ results: { id: string; ok: boolean; ticket: { assignee: { id: string }; priority: string; tags: string[] } }[] }>(res);
    expect(results).toHaveLength(3);
    for (const r of results) {
      expect(r.ok).toBe(true);
      expect(r.ticket).toMatchObject({ assignee: { id: agent.id }, priority: "high", tags: ["vip", "billing"] });
    }
    for (const t of ts) expect(await eventTypes(t.id)).toEqual(expect.arrayContaining(["ticket.assigned", "ticket.priority_changed", "ticket.tags_changed"]));
  });

  it("applies the legal changes and reports the illegal ones without undoing the others", async () => {
    const ok = await buildTicket(ctx, customer);
    const closed = await buildTicket(ctx, customer);
    await call(ctx, agent, "PATCH", `/api/v1/tickets/${closed.id}`, { status: "closed" });
    const missing = "00000000-0000-4000-8000-000000000000";
    const res = await call(ctx, agent, "POST", "/api/v1/tickets/bulk", { ids: [ok.id, closed.id, missing], changes: { status: "in_progress" } });
    expect(res.statusCode).toBe(200);
    const { results } = json<{ results: { id: string; ok: boolean; error?: { code: string; allowed?: string[] } }[] }>(res);
    expect(results.find((r) => r.id === ok.id)?.ok).toBe(true);
    expect(results.find((r) => r.id === closed.id)?.error).toMatchObject({ code: "ILLEGAL_TRANSITION", allowed: ["open"] });
    expect(results.find((r) => r.id === missing)?.error?.code).toBe("NOT_FOUND");
    expect((await row(ok.id)).status).toBe("in_progress");
    expect((await row(closed.id)).status).toBe("closed");
    // Only the earlier open → closed change; the refused bulk change left no history.
    expect((await eventTypes(closed.id)).filter((t) => t === "ticket.status_changed")).toHaveLength(1);
  });

  it("is staff-only", async () => {
    const t = await buildTicket(ctx, customer);
    const res = await call(ctx, customer, "POST", "/api/v1/tickets/bulk", { ids: [t.id], changes: { status: "closed" } });
    expect(res.statusCode).toBe(403);
    expect((await row(t.id)).status).toBe("open");
  });
});
