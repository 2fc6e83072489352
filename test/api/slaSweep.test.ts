import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, lte } from "drizzle-orm";
import { slaClocks } from "../../src/db/schema/index.js";
import { runSlaSweep } from "../../src/commands/sla/runSlaSweep.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import { at, createPolicy, eventsOf, resync, stampEvents, storedClocks, ticketRow } from "../helpers/sla.js";

/*
 * The sweeper: escalation of an overdue ticket through POST /api/v1/sla/check (marketplace
 * requirement 13), its idempotency, and its cost. Histories sit at fixed instants in March 2026
 * (test/helpers/sla.ts), so they are overdue whenever the suite runs, while tickets filed during
 * the run are not due for hours: that split is what the tests rely on, not the time of day.
 */

type Action = { ticketId: string; metric: string; kind: "warning" | "breach"; threshold?: number };
type Notification = { id: string; kind: string; ticketId: string | null; title: string; data: Record<string, unknown> };

let ctx: TestContext;
let admin: TestUser;
let agent: TestUser;
let customer: TestUser;
let teamId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await buildAdmin(ctx);
  agent = await buildAgent(ctx);
  customer = await buildCustomer(ctx);
  const team = await call(ctx, admin, "POST", "/api/v1/teams", { name: "Escalations", members: [{ userId: agent.id, isLead: true }] });
  teamId = json<{ id: string }>(team).id;
  await createPolicy(ctx, admin, {
    name: "Breach drill",
    conditions: { category: ["sla-breach"] },
    targets: {
      first_response: {
        seconds: 3600,
        timeMode: "calendar",
        breachActions: { setPriority: "urgent", addTags: ["sla-breach"], assignTeamId: teamId },
      },
    },
  });
});
afterAll(() => ctx.close());

const T0 = at("2026-03-09T09:00:00Z");
const check = async (who: TestUser = admin) => {
  const res = await call(ctx, who, "POST", "/api/v1/sla/check");
  expect(res.statusCode, res.body).toBe(200);
  return json<{ actions: Action[] }>(res).actions;
};
const notificationsOf = async (who: TestUser) => json<{ items: Notification[] }>(await call(ctx, who, "GET", "/api/v1/notifications?limit=200")).items;
const unreadOf = async (who: TestUser) => json<{ unread: number }>(await call(ctx, who, "GET", "/api/v1/notifications/count")).unread;

describe("POST /api/v1/sla/check (marketplace requirement 13)", () => {
  it("escalates an overdue ticket: breach event, breach actions, admin notification; a second run changes nothing", async () => {
    const watcher = await buildAdmin(ctx);
    const t = await buildTicket(ctx, customer, { category: "sla-breach", priority: "medium" });
    await stampEvents(ctx, t.id, 0, T0);
    await resync(ctx, t.id, T0);
    expect((await storedClocks(ctx, t.id)).first_response!.nextCheckAt).toEqual(at("2026-03-09T09:45:00Z"));

    const actions = (await check()).filter((a) => a.ticketId === t.id);
    expect(actions).toEqual([
      expect.objectContaining({ metric: "first_response", kind: "warning", threshold: 75 }),
      expect.objectContaining({ metric: "first_response", kind: "warning", threshold: 90 }),
      expect.objectContaining({ metric: "first_response", kind: "breach" }),
    ]);

    const row = await ticketRow(ctx, t.id);
    expect(row).toMatchObject({ isEscalated: true, priority: "urgent", teamId });
    expect(row.tags).toContain("sla-breach");
    const events = await eventsOf(ctx, t.id);
    const breaches = events.filter((e) => e.type === "sla.breached");
    expect(breaches).toHaveLength(1);
    expect(breaches[0]!.toValue).toMatchObject({ metric: "first_response", breachedAt: "2026-03-09T10:00:00.000Z" });
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["ticket.priority_changed", "ticket.team_changed", "ticket.tags_changed", "ticket.escalation_changed"]));
    expect((await storedClocks(ctx, t.id)).first_response).toMatchObject({ state: "breached", breachedAt: at("2026-03-09T10:00:00Z"), nextCheckAt: null });

    // Unassigned and (at warning time) without a team, every notice reaches the admins.
    const mine = (await notificationsOf(watcher)).filter((n) => n.ticketId === t.id);
    expect(mine.map((n) => n.kind).sort()).toEqual(["sla.breached", "sla.warning", "sla.warning"]);
    expect(mine.find((n) => n.kind === "sla.breached")).toMatchObject({ title: expect.stringContaining(t.number), data: { metric: "first_response" } });
    const unread = await unreadOf(watcher);
    expect(unread).toBe(3);

    const again = await check();
    expect(again.filter((a) => a.ticketId === t.id)).toEqual([]);
    expect(await eventsOf(ctx, t.id)).toHaveLength(events.length);
    expect(await unreadOf(watcher)).toBe(unread);
    expect(await ticketRow(ctx, t.id)).toEqual(row);
  });

  it("fires each warning and breach once when two sweepers run at the same time (one per worker process)", async () => {
    const tickets = [];
    for (let i = 0; i < 4; i++) {
      const t = await buildTicket(ctx, customer, { category: "sla-breach", priority: "medium" });
      await stampEvents(ctx, t.id, 0, T0);
      await resync(ctx, t.id, T0);
      tickets.push(t);
    }
    const ids = new Set(tickets.map((t) => t.id));
    const [a, b] = await Promise.all([runSlaSweep(ctx.db), runSlaSweep(ctx.db)]);
    const fired = [...a!, ...b!].filter((x) => ids.has(x.ticketId));
    // 75%, 90% and the breach, per ticket, between the two sweepers — never twice.
    expect(fired).toHaveLength(tickets.length * 3);
    for (const t of tickets) {
      const types = (await eventsOf(ctx, t.id)).map((e) => e.type);
      expect(types.filter((x) => x === "sla.breached")).toHaveLength(1);
      expect(types.filter((x) => x === "sla.warning")).toHaveLength(2);
    }
  });

  it("is for admins only", async () => {
    const res = await call(ctx, agent, "POST", "/api/v1/sla/check");
    expect(res.statusCode).toBe(403);
    expect((await call(ctx, customer, "POST", "/api/v1/sla/check")).statusCode).toBe(403);
  });
});

describe("sweeper cost", () => {
  it("reads only the clocks that are due: of 30 tickets with 2 overdue, it acts on and rewrites exactly those 2", async () => {
    const tickets = [];
    for (let i = 0; i < 30; i++) tickets.push(await buildTicket(ctx, customer, { subject: `Load ticket ${i}` }));
    const overdue = [tickets[7]!, tickets[23]!];
    for (const t of overdue) {
      await stampEvents(ctx, t.id, 0, T0);
      await resync(ctx, t.id, new Date());
    }
    const now = new Date();
    const dueNow = await ctx.db.selectDistinct({ id: slaClocks.ticketId }).from(slaClocks).where(lte(slaClocks.nextCheckAt, now));
    expect(dueNow.map((r) => r.id).sort()).toEqual(overdue.map((t) => t.id).sort());

    const actions = await runSlaSweep(ctx.db, now);
    expect([...new Set(actions.map((a) => a.ticketId))].sort()).toEqual(overdue.map((t) => t.id).sort());
    // Both default-policy clocks are far past due: each ticket gets its warnings and both breaches.
    for (const t of overdue) {
      expect(actions.filter((a) => a.ticketId === t.id && a.kind === "breach").map((a) => a.metric).sort()).toEqual(["first_response", "resolution"]);
    }
    // The other 28 tickets were not even recomputed.
    const rewritten = await ctx.db.selectDistinct({ id: slaClocks.ticketId }).from(slaClocks).where(eq(slaClocks.computedAt, now));
    expect(rewritten.map((r) => r.id).sort()).toEqual(overdue.map((t) => t.id).sort());
    expect(await runSlaSweep(ctx.db, now)).toEqual([]);
  });
});
