import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import { at, eventsOf, resync, stampEvents, stepAt, storedClocks, ticketRow } from "../helpers/sla.js";
import type { TicketPriority } from "../../src/domain/ticketPriority.js";

/*
 * The default policies on the default Mon–Fri 09:00–17:00 UTC calendar, through the API. Every
 * ticket's history is placed at fixed instants in March 2026 (see test/helpers/sla.ts), so the
 * business-time arithmetic is hand-checkable and nothing depends on when the suite runs.
 * 2026-03-06 is a Friday; 2026-03-09 the Monday after.
 */

type Clock = {
  metric: string;
  state: string;
  targetSeconds: number;
  consumedSeconds: number;
  remainingSeconds: number;
  percent: number;
  startedAt: string;
  dueAt: string | null;
  breachedAt: string | null;
  metAt: string | null;
  policy: { id: string; version: number; name: string } | null;
  timeline: { from: string; to: string; kind: string; seconds: number; label: string }[];
};

let ctx: TestContext;
let agent: TestUser;
let customer: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  agent = await buildAgent(ctx);
  customer = await buildCustomer(ctx);
});
afterAll(() => ctx.close());

const H = 3600;
const expectStatus = (res: LightMyRequestResponse, code: number) => {
  expect(res.statusCode, res.body).toBe(code);
  return res;
};
const reply = (who: TestUser, id: string, internal = false) =>
  call(ctx, who, "POST", `/api/v1/tickets/${id}/messages`, internal ? { body: "A note for the team.", internal } : { body: "Here is an update." });
const patch = (id: string, change: Record<string, unknown>) => call(ctx, agent, "PATCH", `/api/v1/tickets/${id}`, change);
/** Runs an API step as if at `iso` (its events are moved there and the clocks re-synced). */
const step = (id: string, iso: string, send: () => Promise<LightMyRequestResponse>, code = 200) =>
  stepAt(ctx, id, at(iso), async () => expectStatus(await send(), code));

/** A ticket filed by the customer (an agent for urgent), with its creation placed at `iso`. */
async function ticketCreatedAt(iso: string, overrides: { priority?: TicketPriority; category?: string } = {}) {
  const ticket = await buildTicket(ctx, overrides.priority === "urgent" ? agent : customer, overrides);
  await stampEvents(ctx, ticket.id, 0, at(iso));
  await resync(ctx, ticket.id, at(iso));
  return ticket;
}

async function slaOf(id: string, who: TestUser = agent): Promise<Record<string, Clock>> {
  const res = expectStatus(await call(ctx, who, "GET", `/api/v1/tickets/${id}/sla`), 200);
  return Object.fromEntries(json<{ clocks: Clock[] }>(res).clocks.map((c) => [c.metric, c]));
}
const runningSeconds = (clock: Clock) => clock.timeline.filter((s) => s.kind === "running").reduce((sum, s) => sum + s.seconds, 0);

describe("default policies", () => {
  it("gives a new medium ticket first response (8 h) and resolution (72 h) clocks in business time", async () => {
    const t = await ticketCreatedAt("2026-03-06T16:00:00Z");
    await resync(ctx, t.id, at("2026-03-06T16:30:00Z"));
    const clocks = await storedClocks(ctx, t.id);
    expect(Object.keys(clocks).sort()).toEqual(["first_response", "resolution"]);
    // Fri 16–17 is 1 h, so 8 h is used up Mon 16:00; 72 h (nine working days) Thu 19 March 16:00.
    expect(clocks.first_response).toMatchObject({ state: "running", targetSeconds: 8 * H, consumedSeconds: 1800, dueAt: at("2026-03-09T16:00:00Z"), breachedAt: null, metAt: null });
    expect(clocks.resolution).toMatchObject({ state: "running", targetSeconds: 72 * H, consumedSeconds: 1800, dueAt: at("2026-03-19T16:00:00Z") });
    expect((await ticketRow(ctx, t.id)).slaDueAt).toEqual(at("2026-03-09T16:00:00Z"));
    expect((await slaOf(t.id)).first_response!.policy).toMatchObject({ name: "Medium priority", version: 1 });
  });

  it("starts a next-response clock (8 h) at a customer message after an agent's answer", async () => {
    const t = await ticketCreatedAt("2026-03-06T16:00:00Z");
    await step(t.id, "2026-03-09T09:30:00Z", () => reply(agent, t.id), 201);
    expect((await storedClocks(ctx, t.id)).next_response).toBeUndefined();
    await step(t.id, "2026-03-09T10:00:00Z", () => reply(customer, t.id), 201);
    const next = (await storedClocks(ctx, t.id)).next_response;
    expect(next).toMatchObject({ state: "running", targetSeconds: 8 * H, consumedSeconds: 0, startedAt: at("2026-03-09T10:00:00Z"), dueAt: at("2026-03-10T10:00:00Z") });
  });

  it("picks the policy by priority: urgent is 1 h / 4 h", async () => {
    const t = await ticketCreatedAt("2026-03-09T09:00:00Z", { priority: "urgent" });
    const clocks = await storedClocks(ctx, t.id);
    expect(clocks.first_response).toMatchObject({ targetSeconds: H, dueAt: at("2026-03-09T10:00:00Z") });
    expect(clocks.resolution).toMatchObject({ targetSeconds: 4 * H, dueAt: at("2026-03-09T13:00:00Z") });
  });
});

describe("GET /api/v1/tickets/:id/sla", () => {
  it("shows each clock's numbers and a timeline of running, paused and outside-hours time", async () => {
    const t = await ticketCreatedAt("2026-03-06T16:00:00Z");
    await step(t.id, "2026-03-06T16:30:00Z", () => reply(agent, t.id), 201);
    await step(t.id, "2026-03-09T10:00:00Z", () => patch(t.id, { status: "waiting_on_customer" }));
    await step(t.id, "2026-03-09T12:00:00Z", () => reply(customer, t.id), 201);
    await step(t.id, "2026-03-09T14:00:00Z", () => patch(t.id, { status: "blocked" }));
    const sla = await slaOf(t.id);

    expect(sla.first_response).toMatchObject({ state: "met", targetSeconds: 8 * H, consumedSeconds: 1800, remainingSeconds: 8 * H - 1800, percent: 6.3, dueAt: null, metAt: "2026-03-06T16:30:00.000Z", breachedAt: null });
    expect(sla.first_response!.timeline.map((s) => s.label)).toEqual(["running 30 min"]);

    // Fri 16–17, Mon 9–10 and 12–14 ran; the waiting and blocked stretches did not.
    expect(sla.resolution).toMatchObject({ state: "paused", consumedSeconds: 4 * H, remainingSeconds: 68 * H, percent: 5.6, dueAt: null, breachedAt: null });
    const labels = sla.resolution!.timeline.map((s) => s.label);
    expect(labels.slice(0, 5)).toEqual(["running 1 h", "2 d 16 h outside business hours", "running 1 h", "paused 2 h waiting on customer", "running 2 h"]);
    expect(labels).toHaveLength(6);
    expect(labels[5]).toMatch(/^paused \d+ d.* blocked$/);
    expect(runningSeconds(sla.resolution!)).toBe(4 * H);

    expect(sla.next_response).toMatchObject({ state: "paused", consumedSeconds: 2 * H, startedAt: "2026-03-09T12:00:00.000Z" });
  });

  it("gives the due instant of a running clock, and is for staff only", async () => {
    const t = await ticketCreatedAt("2026-03-09T09:00:00Z", { priority: "high" });
    const sla = await slaOf(t.id);
    // Overdue by now whenever the suite runs; due and breach are the instant 4 business hours in.
    expect(sla.first_response).toMatchObject({ state: "breached", targetSeconds: 4 * H, dueAt: "2026-03-09T13:00:00.000Z", breachedAt: "2026-03-09T13:00:00.000Z" });
    const fr = sla.first_response!;
    expect(fr.remainingSeconds).toBe(fr.targetSeconds - fr.consumedSeconds);
    expect(fr.percent).toBe(Math.round((fr.consumedSeconds / fr.targetSeconds) * 1000) / 10);
    expect(fr.timeline.map((s) => s.label).slice(0, 2)).toEqual(["running 8 h", "16 h outside business hours"]);

    const asCustomer = await call(ctx, customer, "GET", `/api/v1/tickets/${t.id}/sla`);
    expect(asCustomer.statusCode).toBe(403);
    expect(asCustomer.body).not.toContain("first_response");
    expect((await call(ctx, null, "GET", `/api/v1/tickets/${t.id}/sla`)).statusCode).toBe(401);
  });
});

describe("what moves the clocks", () => {
  it("meets first response with a public agent reply, not with an internal note", async () => {
    const t = await ticketCreatedAt("2026-03-09T09:00:00Z");
    await step(t.id, "2026-03-09T10:00:00Z", () => reply(agent, t.id, true), 201);
    expect((await storedClocks(ctx, t.id)).first_response).toMatchObject({ state: "running", metAt: null, consumedSeconds: H });
    await step(t.id, "2026-03-09T11:00:00Z", () => reply(agent, t.id), 201);
    const fr = (await storedClocks(ctx, t.id)).first_response;
    expect(fr).toMatchObject({ state: "met", metAt: at("2026-03-09T11:00:00Z"), consumedSeconds: 2 * H, breachedAt: null, dueAt: null, nextCheckAt: null });
    // A customer's own message is not a response either.
    const other = await ticketCreatedAt("2026-03-09T09:00:00Z");
    await step(other.id, "2026-03-09T10:00:00Z", () => reply(customer, other.id), 201);
    expect((await storedClocks(ctx, other.id)).first_response).toMatchObject({ state: "running", metAt: null });
  });

  it("pauses resolution, but not first response, while waiting on the customer", async () => {
    const t = await ticketCreatedAt("2026-03-09T09:00:00Z");
    await step(t.id, "2026-03-09T10:00:00Z", () => patch(t.id, { status: "waiting_on_customer" }));
    await resync(ctx, t.id, at("2026-03-09T13:00:00Z"));
    let clocks = await storedClocks(ctx, t.id);
    expect(clocks.first_response).toMatchObject({ state: "running", consumedSeconds: 4 * H, dueAt: at("2026-03-09T17:00:00Z") });
    expect(clocks.resolution).toMatchObject({ state: "paused", consumedSeconds: H, dueAt: null, nextCheckAt: null });
    expect((await ticketRow(ctx, t.id)).slaDueAt).toEqual(at("2026-03-09T17:00:00Z"));

    // The customer's answer moves the ticket back to work and restarts resolution; 5 h paused.
    await step(t.id, "2026-03-09T15:00:00Z", () => reply(customer, t.id), 201);
    clocks = await storedClocks(ctx, t.id);
    expect(clocks.resolution).toMatchObject({ state: "running", consumedSeconds: H, dueAt: at("2026-03-20T14:00:00Z") });
    expect(clocks.first_response).toMatchObject({ state: "running", consumedSeconds: 6 * H });
  });

  it("resumes resolution on reopen, keeping the time used", async () => {
    const t = await ticketCreatedAt("2026-03-09T09:00:00Z");
    await step(t.id, "2026-03-09T09:30:00Z", () => reply(agent, t.id), 201);
    await step(t.id, "2026-03-09T11:00:00Z", () => patch(t.id, { status: "resolved" }));
    const resolved = (await storedClocks(ctx, t.id)).resolution!;
    expect(resolved).toMatchObject({ state: "met", consumedSeconds: 2 * H, metAt: at("2026-03-09T11:00:00Z") });

    await step(t.id, "2026-03-10T10:00:00Z", () => reply(customer, t.id), 201);
    expect((await ticketRow(ctx, t.id)).status).toBe("in_progress");
    expect((await eventsOf(ctx, t.id)).map((e) => e.type)).toContain("ticket.reopened");
    await resync(ctx, t.id, at("2026-03-10T12:00:00Z"));
    // 2 h before resolving + 2 h since; the 68 h left end Fri 20 March 16:00.
    const resumed = (await storedClocks(ctx, t.id)).resolution!;
    expect(resumed).toMatchObject({ state: "running", consumedSeconds: 4 * H, metAt: null, dueAt: at("2026-03-20T16:00:00Z"), policyVersionId: resolved.policyVersionId });
  });

  it("starts next response when a customer's message reopens a resolved ticket", async () => {
    const t = await ticketCreatedAt("2026-03-09T09:00:00Z");
    await step(t.id, "2026-03-09T09:30:00Z", () => reply(agent, t.id), 201);
    await step(t.id, "2026-03-09T11:00:00Z", () => patch(t.id, { status: "resolved" }));
    await step(t.id, "2026-03-10T10:00:00Z", () => reply(customer, t.id), 201);
    expect((await storedClocks(ctx, t.id)).next_response).toMatchObject({ state: "running", startedAt: at("2026-03-10T10:00:00Z"), dueAt: at("2026-03-11T10:00:00Z") });
  });

  it("shows the resolved stretch of a reopened ticket as stopped in the timeline", async () => {
    const t = await ticketCreatedAt("2026-03-09T09:00:00Z");
    await step(t.id, "2026-03-09T11:00:00Z", () => patch(t.id, { status: "resolved" }));
    await step(t.id, "2026-03-10T10:00:00Z", () => patch(t.id, { status: "open" }));
    await step(t.id, "2026-03-10T11:00:00Z", () => patch(t.id, { status: "waiting_on_customer" }));
    const resolution = (await slaOf(t.id)).resolution!;
    expect(resolution).toMatchObject({ state: "paused", consumedSeconds: 3 * H });
    // The running stretches add up to the time used: nothing counted while it was resolved.
    expect(runningSeconds(resolution)).toBe(3 * H);
    const stopped = resolution.timeline.find((s) => s.from === "2026-03-09T11:00:00.000Z");
    expect(stopped).toMatchObject({ kind: "paused", to: "2026-03-10T10:00:00.000Z" });
  });

  it("closes a merged ticket's clocks as met, without a breach", async () => {
    const source = await ticketCreatedAt("2026-03-09T09:00:00Z");
    const target = await ticketCreatedAt("2026-03-09T09:00:00Z");
    await step(source.id, "2026-03-09T10:00:00Z", () => call(ctx, agent, "POST", `/api/v1/tickets/${source.id}/merge`, { into: target.id }));
    // Weeks later, well past every target, nothing about the source counts as late.
    await resync(ctx, source.id, at("2026-04-06T09:00:00Z"));
    const clocks = await storedClocks(ctx, source.id);
    expect(Object.keys(clocks).sort()).toEqual(["first_response", "resolution"]);
    for (const clock of Object.values(clocks)) {
      expect(clock).toMatchObject({ state: "met", metAt: at("2026-03-09T10:00:00Z"), breachedAt: null, dueAt: null, nextCheckAt: null, consumedSeconds: H });
    }
    expect((await ticketRow(ctx, source.id)).slaDueAt).toBeNull();
    await resync(ctx, target.id, at("2026-04-06T09:00:00Z"));
    expect((await storedClocks(ctx, target.id)).first_response).toMatchObject({ state: "breached", metAt: null });
  });
});

describe("the queue", () => {
  it("stores the next due instant on the ticket, filters breached tickets and sorts by it", async () => {
    const category = "sla-queue";
    const monday = await ticketCreatedAt("2026-03-09T09:00:00Z", { category });
    const tuesday = await ticketCreatedAt("2026-03-10T09:00:00Z", { category });
    const fresh = await buildTicket(ctx, customer, { category });
    expect((await ticketRow(ctx, monday.id)).slaDueAt).toEqual(at("2026-03-09T17:00:00Z"));
    expect((await ticketRow(ctx, tuesday.id)).slaDueAt).toEqual(at("2026-03-10T17:00:00Z"));
    expect((await ticketRow(ctx, fresh.id)).slaDueAt!.getTime()).toBeGreaterThan(Date.now());

    const list = async (query: string) =>
      json<{ items: { id: string; slaDueAt: string | null }[] }>(expectStatus(await call(ctx, agent, "GET", `/api/v1/tickets?category=${category}&limit=200&${query}`), 200)).items;
    const breached = (await list("breaching=breached")).map((t) => t.id);
    expect(breached.sort()).toEqual([monday.id, tuesday.id].sort());
    const byDue = await list("sort=sla_due");
    expect(byDue.map((t) => t.id)).toEqual([monday.id, tuesday.id, fresh.id]);
    expect(byDue[0]!.slaDueAt).toBe("2026-03-09T17:00:00.000Z");
    expect((await list("sort=-sla_due")).map((t) => t.id)).toEqual([fresh.id, tuesday.id, monday.id]);
  });
});
