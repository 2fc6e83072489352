import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { notifications } from "../../src/db/schema/index.js";
import { runSlaSweep } from "../../src/commands/sla/runSlaSweep.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import { addSeconds, at, createPolicy, eventsOf, resync, stampEvents, ticketRow } from "../helpers/sla.js";

/*
 * Warnings at 75 % (the assignee) and 90 % (the team lead, and the ticket is escalated), and
 * notifications held to working hours. Sweeps run with explicit instants; the histories are
 * placed at those instants (test/helpers/sla.ts). Targets count calendar time.
 */

type Notification = { kind: string; ticketId: string | null; data: Record<string, unknown> };

let ctx: TestContext;
let admin: TestUser;
let customer: TestUser;
let assignee: TestUser;
let lead: TestUser;
let teamId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await buildAdmin(ctx);
  customer = await buildCustomer(ctx);
  assignee = await buildAgent(ctx);
  lead = await buildAgent(ctx);
  const team = await call(ctx, admin, "POST", "/api/v1/teams", { name: "Tier 1", members: [{ userId: assignee.id }, { userId: lead.id, isLead: true }] });
  teamId = json<{ id: string }>(team).id;
  await createPolicy(ctx, admin, { name: "Warn drill", conditions: { category: ["sla-warn"] }, targets: { first_response: { seconds: 10_000, timeMode: "calendar" } } });
  await createPolicy(ctx, admin, {
    name: "Quiet nights",
    conditions: { category: ["sla-night"] },
    notifyInBusinessHoursOnly: true, // on the default Mon–Fri 09:00–17:00 UTC calendar
    targets: { first_response: { seconds: 3600, timeMode: "calendar" } },
  });
});
afterAll(() => ctx.close());

const listed = async (who: TestUser) => json<{ items: Notification[] }>(await call(ctx, who, "GET", "/api/v1/notifications?limit=200")).items;
const unread = async (who: TestUser) => json<{ unread: number }>(await call(ctx, who, "GET", "/api/v1/notifications/count")).unread;
const storedFor = (who: TestUser, ticketId: string) =>
  ctx.db.select().from(notifications).where(and(eq(notifications.userId, who.id), eq(notifications.ticketId, ticketId)));

/** A ticket in `category`, assigned to `owner` in the team, with its whole history placed at `created`. */
async function assignedTicket(category: string, owner: TestUser, created: Date) {
  const t = await buildTicket(ctx, customer, { category });
  const res = await call(ctx, admin, "PATCH", `/api/v1/tickets/${t.id}`, { assigneeId: owner.id, teamId });
  expect(res.statusCode, res.body).toBe(200);
  // The assignment's own "assigned to you" notice is covered in notifications.test.ts; these tests count SLA notices only.
  await ctx.db.delete(notifications).where(and(eq(notifications.ticketId, t.id), eq(notifications.kind, "ticket.assigned")));
  await stampEvents(ctx, t.id, 0, created);
  await resync(ctx, t.id, created);
  return t;
}
const sweepFor = async (ticketId: string, now: Date) => (await runSlaSweep(ctx.db, now)).filter((a) => a.ticketId === ticketId);

describe("warnings", () => {
  it("tells the assignee at 75 %, then the team lead at 90 % and escalates", async () => {
    const T0 = at("2026-03-02T09:00:00Z");
    const t = await assignedTicket("sla-warn", assignee, T0);

    expect(await sweepFor(t.id, addSeconds(T0, 7400))).toEqual([]); // 74 %: nothing yet
    expect(await sweepFor(t.id, addSeconds(T0, 7600))).toEqual([expect.objectContaining({ metric: "first_response", kind: "warning", threshold: 75 })]);
    const atWarning = await listed(assignee);
    expect(atWarning.filter((n) => n.ticketId === t.id)).toEqual([expect.objectContaining({ kind: "sla.warning", data: expect.objectContaining({ threshold: 75, metric: "first_response" }) })]);
    expect(await unread(assignee)).toBe(1);
    expect(await storedFor(lead, t.id)).toEqual([]);
    expect((await ticketRow(ctx, t.id)).isEscalated).toBe(false);

    expect(await sweepFor(t.id, addSeconds(T0, 9100))).toEqual([expect.objectContaining({ kind: "warning", threshold: 90 })]);
    expect((await listed(lead)).filter((n) => n.ticketId === t.id)).toEqual([expect.objectContaining({ kind: "sla.warning", data: expect.objectContaining({ threshold: 90 }) })]);
    expect(await storedFor(assignee, t.id)).toHaveLength(1);
    expect((await ticketRow(ctx, t.id)).isEscalated).toBe(true);
    const types = (await eventsOf(ctx, t.id)).map((e) => e.type);
    expect(types.filter((type) => type === "sla.warning")).toHaveLength(2);
    expect(types).toContain("ticket.escalation_changed");

    // The same instant again finds nothing left to do.
    expect(await sweepFor(t.id, addSeconds(T0, 9100))).toEqual([]);
    expect(await storedFor(lead, t.id)).toHaveLength(1);
  });
});

describe("notifyInBusinessHoursOnly", () => {
  it("delivers at once during working hours", async () => {
    const wednesday = at("2026-03-11T10:00:00Z");
    const t = await assignedTicket("sla-night", assignee, wednesday);
    expect(await sweepFor(t.id, addSeconds(wednesday, 2760))).toHaveLength(1);
    const [row] = await storedFor(assignee, t.id);
    expect(row!.deliverAfter).toEqual(addSeconds(wednesday, 2760));
    expect((await listed(assignee)).some((n) => n.ticketId === t.id)).toBe(true);
  });

  // Last in the file on purpose: a sweep "on" a future Saturday also handles every clock due
  // before then, which would disturb any test after it. (Not further out than 2060: consumed
  // seconds are a 32-bit column, and the March 2026 clocks above keep counting until then.)
  it("holds a warning fired on a Saturday night until Monday 09:00", async () => {
    const night = await buildAgent(ctx);
    const saturday = at("2060-01-03T02:00:00Z");
    expect(saturday.getUTCDay()).toBe(6);
    const t = await assignedTicket("sla-night", night, saturday);
    expect(await sweepFor(t.id, addSeconds(saturday, 2760))).toEqual([expect.objectContaining({ kind: "warning", threshold: 75 })]);

    const [row] = await storedFor(night, t.id);
    expect(row).toMatchObject({ kind: "sla.warning", deliverAfter: at("2060-01-05T09:00:00Z") });
    expect(await listed(night)).toEqual([]);
    expect(await unread(night)).toBe(0);
  });
});
