import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { count } from "drizzle-orm";
import { slaCalendars, slaPolicies } from "../../src/db/schema/index.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, type TestUser } from "../helpers/factories.js";
import { calendarIdNamed } from "../helpers/sla.js";

type Problem = { status: number; code: string; field?: string; detail: string; errors?: { field: string; message: string }[] };

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

const nineToFive = [["09:00", "17:00"]];
const workWeek = { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive };
const calendar = (over: Record<string, unknown> = {}) => ({ name: `Cal ${Math.random().toString(36).slice(2, 8)}`, timezone: "UTC", week: workWeek, ...over });

const countOf = async (table: typeof slaCalendars | typeof slaPolicies) => (await ctx.db.select({ n: count() }).from(table))[0]!.n;

/** Posts `body`, expects 422 problem+json naming `field`, and checks that nothing was saved. */
async function expectRefused(url: string, table: typeof slaCalendars | typeof slaPolicies, body: unknown, field: string, message?: RegExp) {
  const before = await countOf(table);
  const res = await call(ctx, admin, "POST", url, body);
  expect(res.statusCode, res.body).toBe(422);
  expect(res.headers["content-type"]).toContain("application/problem+json");
  const problem = json<Problem>(res);
  expect(problem).toMatchObject({ status: 422, code: "UNPROCESSABLE", field });
  if (message) expect(problem.detail).toMatch(message);
  expect(await countOf(table)).toBe(before);
}

describe("calendars", () => {
  it("creates a valid calendar with split shifts and a partial holiday", async () => {
    const before = await countOf(slaCalendars);
    const input = calendar({
      name: "Berlin split shift",
      timezone: "Europe/Berlin",
      week: { mon: [["08:00", "12:00"], ["13:00", "17:00"]], fri: [["08:00", "24:00"]] },
      holidays: [{ date: "2026-12-25", name: "Christmas" }, { date: "2026-12-24", from: "12:00", to: "24:00" }],
    });
    const res = await call(ctx, admin, "POST", "/api/v1/sla/calendars", input);
    expect(res.statusCode, res.body).toBe(201);
    const body = json<{ id: string; name: string; definition: { week: Record<string, unknown>; holidays: unknown[] } }>(res);
    expect(body.name).toBe("Berlin split shift");
    expect(body.definition.week.mon).toEqual([["08:00", "12:00"], ["13:00", "17:00"]]);
    expect(body.definition.week.sat).toEqual([]);
    expect(body.definition.holidays).toHaveLength(2);
    expect(await countOf(slaCalendars)).toBe(before + 1);
    const list = json<{ items: { id: string }[] }>(await call(ctx, agent, "GET", "/api/v1/sla/calendars"));
    expect(list.items.map((c) => c.id)).toContain(body.id);
  });

  it.each([
    ["an unknown time zone", { timezone: "Mars/Olympus_Mons" }, "body.timezone", /time zone/],
    ["overlapping intervals", { week: { mon: [["09:00", "12:00"], ["11:00", "17:00"]] } }, "body.week.mon.1", /overlaps/],
    ["a reversed interval", { week: { tue: [["17:00", "09:00"]] } }, "body.week.tue.0", /reversed/],
    ["a time past 24:00", { week: { wed: [["09:00", "25:00"]] } }, "body.week.wed.0.1", /past 24:00/],
    ["a holiday with a bad date", { holidays: [{ date: "2026-02-30" }] }, "body.holidays.0.date", /2026-02-30/],
    ["a week with no working time", { week: {} }, "body.week", /no working time/],
    ["24:00 as a start", { week: { thu: [["24:00", "24:00"]] } }, "body.week.thu.0.0", /24:00/],
  ])("refuses %s with 422 naming the field, saving nothing", async (_what, over, field, message) => {
    await expectRefused("/api/v1/sla/calendars", slaCalendars, calendar(over), field, message);
  });

  it("accepts an empty week when the calendar is explicitly 24/7", async () => {
    const res = await call(ctx, admin, "POST", "/api/v1/sla/calendars", calendar({ name: "Always on", week: {}, is24x7: true }));
    expect(res.statusCode, res.body).toBe(201);
    expect(json<{ definition: { is24x7: boolean } }>(res).definition.is24x7).toBe(true);
  });

  it("lets only admins create calendars and policies", async () => {
    const calendarsBefore = await countOf(slaCalendars);
    const policiesBefore = await countOf(slaPolicies);
    const policy = { name: "Sneaky", position: 5, targets: { resolution: { seconds: 3600 } } };
    for (const who of [agent, customer]) {
      const cal = await call(ctx, who, "POST", "/api/v1/sla/calendars", calendar());
      expect(cal.statusCode).toBe(403);
      expect(json(cal).code).toBe("FORBIDDEN");
      expect((await call(ctx, who, "POST", "/api/v1/sla/policies", policy)).statusCode).toBe(403);
    }
    expect((await call(ctx, null, "POST", "/api/v1/sla/policies", policy)).statusCode).toBe(401);
    expect(await countOf(slaCalendars)).toBe(calendarsBefore);
    expect(await countOf(slaPolicies)).toBe(policiesBefore);
  });
});

describe("policies", () => {
  const policy = (target: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
    name: "Gold",
    position: 3,
    targets: { resolution: { seconds: 4 * 3600, ...target } },
    ...over,
  });

  it.each([
    ["an unknown metric", { targets: { first_reply: { seconds: 60 } } }, "body.targets", /first_reply/],
    ["an unknown pause status", policy({ pauseStatuses: ["waiting_on_customer", "napping"] }), "body.targets.resolution.pauseStatuses.1", undefined],
    ["a zero target", policy({ seconds: 0 }), "body.targets.resolution.seconds", /positive/],
    ["a negative target", policy({ seconds: -60 }), "body.targets.resolution.seconds", /positive/],
    ["a 0% threshold", policy({ warnAt: [0, 90] }), "body.targets.resolution.warnAt.0", /1–99%/],
    ["a 100% threshold", policy({ warnAt: [75, 100] }), "body.targets.resolution.warnAt.1", /1–99%/],
    ["an unknown priority condition", policy({}, { conditions: { priority: ["critical"] } }), "body.conditions.priority.0", undefined],
    [
      "a breach action naming an unknown team",
      policy({ breachActions: { assignTeamId: "2b1e4c8e-8d43-4c43-9d5f-1b0a2d9c6e11" } }),
      "targets.resolution.breachActions.assignTeamId",
      /unknown team/,
    ],
    ["an unknown calendar", policy({}, { calendarId: "2b1e4c8e-8d43-4c43-9d5f-1b0a2d9c6e11" }), "calendarId", /calendar/],
  ])("refuses %s with 422 naming the field, saving nothing", async (_what, body, field, message) => {
    await expectRefused("/api/v1/sla/policies", slaPolicies, { name: "Gold", position: 3, ...body }, field, message);
  });

  it("accepts a breach action naming a real team", async () => {
    const team = await call(ctx, admin, "POST", "/api/v1/teams", { name: "Tier 2" });
    expect(team.statusCode).toBe(201);
    const res = await call(ctx, admin, "POST", "/api/v1/sla/policies", policy({ breachActions: { assignTeamId: json(team).id } }, { name: "Teamed" }));
    expect(res.statusCode, res.body).toBe(201);
  });

  it("lists policies by explicit position, not by name", async () => {
    for (const [name, position] of [["Alpha", 99], ["Zeta", 1]] as const) {
      const res = await call(ctx, admin, "POST", "/api/v1/sla/policies", { name, position, conditions: { category: ["order-test"] }, targets: { first_response: { seconds: 3600 } } });
      expect(res.statusCode, res.body).toBe(201);
    }
    const list = json<{ items: { definition: { name: string; position: number } }[] }>(await call(ctx, agent, "GET", "/api/v1/sla/policies"));
    const names = list.items.map((p) => p.definition.name);
    expect(names.indexOf("Zeta")).toBeGreaterThanOrEqual(0);
    expect(names.indexOf("Zeta")).toBeLessThan(names.indexOf("Medium priority"));
    expect(names.indexOf("Medium priority")).toBeLessThan(names.indexOf("Alpha"));
    const positions = list.items.map((p) => p.definition.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});

describe("POST /api/v1/sla/calendars/preview", () => {
  const preview = (body: Record<string, unknown>, who: TestUser = agent) => call(ctx, who, "POST", "/api/v1/sla/calendars/preview", body);
  const inline = calendar({ name: "Preview" });
  // 2026-03-06 is a Friday, 2026-03-09 the Monday after.
  const friday16 = "2026-03-06T16:00:00Z";

  it("adds business time across a weekend: Fri 16:00 + 2 h → Mon 10:00", async () => {
    const res = await preview({ calendar: inline, start: friday16, seconds: 7200 });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toEqual({ due: "2026-03-09T10:00:00.000Z" });
  });

  it("counts business seconds between two instants", async () => {
    expect(json(await preview({ calendar: inline, start: friday16, end: "2026-03-09T10:00:00Z" }))).toEqual({ businessSeconds: 7200 });
    // Ending exactly at a closing time counts the whole day; starting at night counts from the opening.
    expect(json(await preview({ calendar: inline, start: "2026-03-09T03:00:00Z", end: "2026-03-09T17:00:00Z" }))).toEqual({ businessSeconds: 28_800 });
  });

  it("leaves pauses out, including a pause spanning a night", async () => {
    const res = await preview({
      calendar: inline,
      start: "2026-03-09T09:00:00Z",
      end: "2026-03-10T17:00:00Z",
      pauses: [{ from: "2026-03-09T16:00:00Z", to: "2026-03-10T10:00:00Z" }],
    });
    expect(json(res)).toEqual({ businessSeconds: 16 * 3600 - 2 * 3600 });
  });

  it("pushes the due instant back by a pause inside working hours", async () => {
    const pauses = [{ from: "2026-03-09T09:00:00Z", to: "2026-03-09T09:30:00Z" }];
    const due = await preview({ calendar: inline, start: friday16, seconds: 7200, pauses });
    expect(due.statusCode, due.body).toBe(200);
    expect(json(due)).toEqual({ due: "2026-03-09T10:30:00.000Z" });
    // And the two modes agree: the business time up to that due instant is the target.
    expect(json(await preview({ calendar: inline, start: friday16, end: "2026-03-09T10:30:00Z", pauses }))).toEqual({ businessSeconds: 7200 });
  });

  it("agrees with itself on random pauses: the business time up to the due instant is the target, and not a second earlier", async () => {
    const base = Date.parse("2026-03-02T00:00:00Z");
    const pause = fc.record({ from: fc.integer({ min: 0, max: 20 * 86_400 }), length: fc.integer({ min: 0, max: 3 * 86_400 }) });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 7 * 86_400 }), fc.integer({ min: 1, max: 5 * 28_800 }), fc.array(pause, { maxLength: 4 }), async (offset, seconds, raw) => {
        const start = new Date(base + offset * 1000).toISOString();
        const pauses = raw.map((p) => ({ from: new Date(base + p.from * 1000).toISOString(), to: new Date(base + (p.from + p.length) * 1000).toISOString() }));
        const due = json<{ due: string }>(await preview({ calendar: inline, start, seconds, pauses })).due;
        expect(json(await preview({ calendar: inline, start, end: due, pauses }))).toEqual({ businessSeconds: seconds });
        const justBefore = new Date(Date.parse(due) - 1000).toISOString();
        expect(json<{ businessSeconds: number }>(await preview({ calendar: inline, start, end: justBefore, pauses })).businessSeconds).toBe(seconds - 1);
      }),
      { seed: 20260306, numRuns: 40 },
    );
  });

  it("uses a stored calendar by id, and 404s for an unknown one", async () => {
    const id = await calendarIdNamed(ctx, "Business hours");
    expect(json(await preview({ calendarId: id, start: friday16, seconds: 7200 }))).toEqual({ due: "2026-03-09T10:00:00.000Z" });
    const missing = await preview({ calendarId: "2b1e4c8e-8d43-4c43-9d5f-1b0a2d9c6e11", start: friday16, seconds: 60 });
    expect(missing.statusCode).toBe(404);
  });

  it("counts real elapsed time across both Europe/Berlin DST changes on a 24/7 calendar", async () => {
    const berlin = { name: "Berlin 24/7", timezone: "Europe/Berlin", is24x7: true };
    // 2026-10-25 local midnight to midnight is 25 hours; 2026-03-29 is 23.
    const autumn = await preview({ calendar: berlin, start: "2026-10-25T00:00:00+02:00", end: "2026-10-26T00:00:00+01:00" });
    expect(json(autumn)).toEqual({ businessSeconds: 90_000 });
    const spring = await preview({ calendar: berlin, start: "2026-03-29T00:00:00+01:00", end: "2026-03-30T00:00:00+02:00" });
    expect(json(spring)).toEqual({ businessSeconds: 82_800 });
  });

  it("refuses a preview beyond 10 years instead of looping", async () => {
    // One minute of work a week: 5 business days would take about 138 years.
    const sparse = calendar({ name: "Sparse", week: { mon: [["09:00", "09:01"]] } });
    const far = await preview({ calendar: sparse, start: friday16, seconds: 5 * 86_400 });
    expect(far.statusCode).toBe(422);
    expect(json<Problem>(far)).toMatchObject({ code: "UNPROCESSABLE", field: "seconds" });
    const longRange = await preview({ calendar: inline, start: friday16, end: "2037-03-06T16:00:00Z" });
    expect(longRange.statusCode).toBe(422);
    expect(json<Problem>(longRange)).toMatchObject({ field: "end" });
  });

  it("refuses both or neither of seconds and end, a reversed pause, and a bad inline calendar", async () => {
    const both = await preview({ calendar: inline, start: friday16, seconds: 60, end: "2026-03-09T10:00:00Z" });
    expect(both.statusCode).toBe(422);
    expect(json<Problem>(both).detail).toMatch(/seconds and end/);
    const neither = await preview({ calendar: inline, start: friday16 });
    expect(neither.statusCode).toBe(422);
    const reversedPause = await preview({ calendar: inline, start: friday16, seconds: 60, pauses: [{ from: "2026-03-09T10:00:00Z", to: "2026-03-09T09:00:00Z" }] });
    expect(json<Problem>(reversedPause)).toMatchObject({ status: 422, field: "pauses" });
    const badZone = await preview({ calendar: { ...inline, timezone: "Nowhere/Land" }, start: friday16, seconds: 60 });
    expect(json<Problem>(badZone)).toMatchObject({ status: 422, field: "body.calendar.timezone" });
  });

  it("is for staff only", async () => {
    expect((await preview({ calendar: inline, start: friday16, seconds: 60 }, customer)).statusCode).toBe(403);
  });
});
