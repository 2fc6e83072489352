import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { ticketEvents, tickets } from "../../src/db/schema/index.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import type { TicketPriority } from "../../src/domain/ticketPriority.js";

let ctx: TestContext;
let ann: TestUser;
let bob: TestUser;
let customer: TestUser;

type Duration = { count: number; medianMinutes: number | null; p90Minutes: number | null; buckets: { label: string; count: number }[] };
type Overview = {
  from: string;
  to: string;
  perDay: { day: string; created: number; resolved: number }[];
  backlogByPriority: { priority: string; open: number }[];
  firstResponse: Duration;
  resolution: Duration;
  agentLoad: { agentId: string; name: string; open: number; inProgress: number; waitingOnCustomer: number; resolvedInRange: number }[];
};

const at = (iso: string) => new Date(`2026-${iso}:00Z`);

/** A ticket moved through the real commands; its timestamps are then set to known moments. */
async function ticketWith(options: {
  createdAt: string;
  priority?: TicketPriority;
  assignee?: TestUser;
  repliedAt?: string;
  statuses?: [status: string, at: string][];
}) {
  const ticket = await buildTicket(ctx, customer, { priority: options.priority ?? "medium" });
  const agent = options.assignee ?? ann;
  if (options.assignee) {
    expect((await call(ctx, agent, "PATCH", `/api/v1/tickets/${ticket.id}`, { assigneeId: options.assignee.id })).statusCode).toBe(200);
  }
  if (options.repliedAt) {
    expect((await call(ctx, agent, "POST", `/api/v1/tickets/${ticket.id}/messages`, { body: "Looking into it now." })).statusCode).toBe(201);
  }
  for (const [status] of options.statuses ?? []) {
    const res = await call(ctx, agent, "PATCH", `/api/v1/tickets/${ticket.id}`, { status });
    expect(res.statusCode, res.body).toBe(200);
  }
  await ctx.db
    .update(tickets)
    .set({ createdAt: at(options.createdAt), ...(options.repliedAt ? { firstRespondedAt: at(options.repliedAt) } : {}) })
    .where(eq(tickets.id, ticket.id));
  // The status history, in order, gets the moments given for it.
  const statusEvents = await ctx.db
    .select({ id: ticketEvents.id })
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticket.id), eq(ticketEvents.field, "status")))
    .orderBy(asc(ticketEvents.id));
  expect(statusEvents).toHaveLength(options.statuses?.length ?? 0);
  for (const [i, event] of statusEvents.entries()) {
    await ctx.db.update(ticketEvents).set({ createdAt: at(options.statuses![i]![1]) }).where(eq(ticketEvents.id, event.id));
  }
  return ticket;
}

const range = "from=2026-03-01T00:00:00Z&to=2026-03-05T00:00:00Z";

beforeAll(async () => {
  ctx = await createTestContext();
  ann = await buildAgent(ctx, { name: "Ann Agent" });
  bob = await buildAgent(ctx, { name: "Bob Agent" });
  customer = await buildCustomer(ctx);

  // First reply after 10 min; resolved after 2 h; reopened and resolved again, which moves nothing.
  await ticketWith({
    createdAt: "03-01T10:00",
    repliedAt: "03-01T10:10",
    assignee: ann,
    statuses: [["resolved", "03-01T12:00"], ["open", "03-02T09:00"], ["resolved", "03-02T15:00"]],
  });
  // First reply after 1 h; resolved after 2 days.
  await ticketWith({ createdAt: "03-01T11:00", repliedAt: "03-01T12:00", assignee: bob, statuses: [["resolved", "03-03T11:00"]] });
  // First reply after 4 h; still in progress.
  await ticketWith({ createdAt: "03-02T09:00", repliedAt: "03-02T13:00", assignee: ann, statuses: [["in_progress", "03-02T13:00"]] });
  // No public reply: an internal note is not a first response.
  const noted = await ticketWith({ createdAt: "03-03T08:00", priority: "high", assignee: ann });
  expect((await call(ctx, ann, "POST", `/api/v1/tickets/${noted.id}/messages`, { body: "Asked the network team.", internal: true })).statusCode).toBe(201);
  // Created and answered before the range, closed (a resolution) inside it, after 12 days.
  await ticketWith({ createdAt: "02-20T00:00", repliedAt: "02-20T01:00", assignee: bob, statuses: [["closed", "03-04T00:00"]] });
  // Waiting on the customer, from before the range.
  await ticketWith({ createdAt: "02-25T00:00", priority: "low", assignee: bob, statuses: [["waiting_on_customer", "02-25T01:00"]] });
  // A duplicate created in the range and merged away: neither created nor resolved.
  const duplicate = await ticketWith({ createdAt: "03-02T10:00" });
  expect((await call(ctx, ann, "POST", `/api/v1/tickets/${duplicate.id}/merge`, { into: noted.id })).statusCode).toBe(200);
  await ctx.db.update(ticketEvents).set({ createdAt: at("03-02T11:00") }).where(eq(ticketEvents.ticketId, duplicate.id));
});
afterAll(() => ctx.close());

describe("GET /api/v1/stats/overview", () => {
  it("counts tickets created and first resolved per UTC day, with empty days as zeros", async () => {
    const res = await call(ctx, ann, "GET", `/api/v1/stats/overview?${range}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = json<Overview>(res);
    expect(body.from).toBe("2026-03-01T00:00:00.000Z");
    expect(body.to).toBe("2026-03-05T00:00:00.000Z");
    expect(body.perDay).toEqual([
      { day: "2026-03-01", created: 2, resolved: 1 },
      { day: "2026-03-02", created: 1, resolved: 0 },
      { day: "2026-03-03", created: 1, resolved: 1 },
      { day: "2026-03-04", created: 0, resolved: 1 },
    ]);
  });

  it("measures first response and resolution: count, median, p90 and histogram", async () => {
    const body = json<Overview>(await call(ctx, ann, "GET", `/api/v1/stats/overview?${range}`));
    const counts = (d: Duration) => Object.fromEntries(d.buckets.map((b) => [b.label, b.count]));
    // 10, 60 and 240 minutes; the reply sent before the range is left out.
    expect(body.firstResponse).toMatchObject({ count: 3, medianMinutes: 60, p90Minutes: 204 });
    expect(counts(body.firstResponse)).toEqual({ "< 15 min": 1, "15–60 min": 0, "1–4 h": 1, "4–24 h": 1, "1–3 days": 0, "3–7 days": 0, "7 days or more": 0 });
    // 120 minutes, 2 days (2880) and 12 days (17280): p90 = 2880 + 0.8 × (17280 − 2880).
    expect(body.resolution).toMatchObject({ count: 3, medianMinutes: 2880, p90Minutes: 14400 });
    expect(counts(body.resolution)).toEqual({ "< 15 min": 0, "15–60 min": 0, "1–4 h": 1, "4–24 h": 0, "1–3 days": 1, "3–7 days": 0, "7 days or more": 1 });
  });

  it("shows the backlog per priority and each agent's load", async () => {
    const body = json<Overview>(await call(ctx, ann, "GET", `/api/v1/stats/overview?${range}`));
    expect(body.backlogByPriority).toEqual([
      { priority: "low", open: 1 },
      { priority: "medium", open: 1 },
      { priority: "high", open: 1 },
      { priority: "urgent", open: 0 },
    ]);
    expect(body.agentLoad).toEqual([
      { agentId: ann.id, name: "Ann Agent", open: 1, inProgress: 1, waitingOnCustomer: 0, resolvedInRange: 1 },
      { agentId: bob.id, name: "Bob Agent", open: 0, inProgress: 0, waitingOnCustomer: 1, resolvedInRange: 2 },
    ]);
  });

  it("narrows to the range asked for", async () => {
    const body = json<Overview>(await call(ctx, ann, "GET", "/api/v1/stats/overview?from=2026-03-02T12:00:00Z&to=2026-03-03T12:00:00Z"));
    expect(body.perDay).toEqual([
      { day: "2026-03-02", created: 0, resolved: 0 },
      { day: "2026-03-03", created: 1, resolved: 1 },
    ]);
    expect(body.firstResponse).toMatchObject({ count: 1, medianMinutes: 240, p90Minutes: 240 });
    expect(body.resolution).toMatchObject({ count: 1, medianMinutes: 2880 });
    const empty = json<Overview>(await call(ctx, ann, "GET", "/api/v1/stats/overview?from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z"));
    expect(empty.firstResponse).toEqual({ count: 0, medianMinutes: null, p90Minutes: null, buckets: expect.any(Array) as unknown });
    expect(empty.perDay).toEqual([{ day: "2025-01-01", created: 0, resolved: 0 }]);
  });

  it("defaults to the last 30 days", async () => {
    const before = Date.now();
    const body = json<Overview>(await call(ctx, ann, "GET", "/api/v1/stats/overview"));
    const to = Date.parse(body.to);
    expect(to).toBeGreaterThanOrEqual(before - 1000);
    expect(to - Date.parse(body.from)).toBe(30 * 86_400_000);
    expect(body.perDay.at(-1)!.day).toBe(body.to.slice(0, 10));
    expect(body.perDay[0]!.day).toBe(body.from.slice(0, 10));
  });

  it("refuses ranges that are backwards, empty, longer than 366 days or malformed", async () => {
    for (const query of [
      "from=2026-03-05T00:00:00Z&to=2026-03-01T00:00:00Z",
      "from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z",
      "from=2025-01-01T00:00:00Z&to=2026-01-03T00:00:00Z",
      "from=yesterday",
      "days=7",
    ]) {
      const res = await call(ctx, ann, "GET", `/api/v1/stats/overview?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(json(res).code).toBe("VALIDATION_FAILED");
    }
    expect((await call(ctx, ann, "GET", "/api/v1/stats/overview?from=2025-01-01T00:00:00Z&to=2026-01-02T00:00:00Z")).statusCode).toBe(200);
  });

  it("is for staff only", async () => {
    const res = await call(ctx, customer, "GET", `/api/v1/stats/overview?${range}`);
    expect(res.statusCode).toBe(403);
    expect(json(res).code).toBe("FORBIDDEN");
    expect((await call(ctx, null, "GET", "/api/v1/stats/overview")).statusCode).toBe(401);
  });
});
