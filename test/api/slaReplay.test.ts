import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { and, desc, eq, inArray } from "drizzle-orm";
import { slaPolicyVersions, ticketEvents, tickets } from "../../src/db/schema/index.js";
import { replyToTicket } from "../../src/commands/tickets/replyToTicket.js";
import { updateTicket } from "../../src/commands/tickets/updateTicket.js";
import { savePolicy } from "../../src/commands/sla/savePolicy.js";
import { runSlaSweep } from "../../src/commands/sla/runSlaSweep.js";
import type { PolicyDefinition } from "../../src/domain/sla/policy.js";
import { ticketPriorities, type TicketPriority } from "../../src/domain/ticketPriority.js";
import { allowedNextStatuses, canReopen, type TicketStatus } from "../../src/domain/ticketStatus.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { buildAdmin, buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import { addSeconds, expectRebuildIdentical, expectStoredEqualsReplay, lastEventId, resync, stampEvents, storedClocks, ticketRow, type StoredClock } from "../helpers/sla.js";

/*
 * Replaying ticket_events reproduces the stored clocks, on random histories.
 *
 * Time control. Each step runs a real command (reply, note, status change, priority change,
 * policy re-baseline, sweep) at wall-clock time. Before moving anything we check the rows that
 * command stored against a fresh replay as of the rows' computed_at: that is the production path
 * untouched. Then every event the step wrote is stamped with the step's instant T_i (a fixed
 * base plus random gaps, never decreasing) and the ticket is re-synced as of T_i, which is what
 * the command would have stored had it run at T_i. The log stays ordered by id and by time, so
 * the next step sees a history that could really have happened, with nights, weekends, a
 * holiday and a DST change inside it. Sweeps are given now = T_i directly. Against that we check
 * the stored rows field by field against replayTicketClocks, and the states against a small
 * model of the rules (met on answer / resolve, paused in a pause status, never un-breached).
 */

let ctx: TestContext;
let admin: TestUser;
let agent: TestUser;
let customer: TestUser;
let calendarId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await buildAdmin(ctx);
  agent = await buildAgent(ctx);
  customer = await buildCustomer(ctx);
  const split = [["08:00", "12:00"], ["13:00", "17:30"]];
  const res = await call(ctx, admin, "POST", "/api/v1/sla/calendars", {
    name: "Replay hours",
    timezone: "Europe/Berlin",
    week: { mon: split, tue: split, wed: split, thu: split, fri: split, sat: [["10:00", "14:00"]] },
    holidays: [{ date: "2026-03-27", name: "Spring holiday" }, { date: "2026-04-03", from: "12:00", to: "24:00" }],
  });
  calendarId = json<{ id: string }>(res).id;
});
afterAll(() => ctx.close());

type Intent =
  | { kind: "agentReply" | "note" | "customerReply" | "sweep" }
  | { kind: "status"; pick: number }
  | { kind: "priority"; pick: number }
  | { kind: "rebaseline"; factor: number };
type Step = { gap: number; intent: Intent };
type Targets = { first: number; next: number; resolution: number };

const BASE = Date.parse("2026-03-16T05:00:00Z"); // a Monday; Berlin's DST change is on 29 March
const businessPauses: TicketStatus[] = ["waiting_on_customer", "blocked", "pending_approval"];

/** Business-time policy for low/medium, and a calendar-time catch-all (so high/urgent) after it. */
function policies(category: string, t: Targets): PolicyDefinition[] {
  const base = { isActive: true, notifyInBusinessHoursOnly: false };
  return [
    {
      ...base,
      name: `${category} standard`,
      position: 0,
      calendarId,
      conditions: { category: [category], priority: ["low", "medium"] },
      targets: {
        first_response: { seconds: t.first, timeMode: "business", warnAt: [50, 90], breachActions: { setPriority: "high", addTags: ["late"] } },
        next_response: { seconds: t.next, timeMode: "business", warnAt: [75], breachActions: {} },
        resolution: { seconds: t.resolution, timeMode: "business", pauseStatuses: businessPauses, warnAt: [75, 90], breachActions: { addTags: ["overdue"] } },
      },
    },
    {
      ...base,
      name: `${category} fast`,
      position: 1,
      calendarId: null,
      conditions: { category: [category] },
      targets: {
        first_response: { seconds: Math.ceil(t.first / 2), timeMode: "calendar", warnAt: [75, 90], breachActions: {} },
        next_response: { seconds: t.next, timeMode: "calendar", warnAt: [75, 90], breachActions: {} },
        resolution: { seconds: t.resolution, timeMode: "calendar", pauseStatuses: ["waiting_on_customer"], warnAt: [90], breachActions: {} },
      },
    },
  ];
}

/** What the rules say about a ticket's clocks, tracked alongside the commands. */
type Model = { hasAgentReplied: boolean; isFirstMet: boolean; next: "none" | "awaiting" | "answered"; consumed: Record<string, number> };

const isDone = (s: TicketStatus) => s === "resolved" || s === "closed";

/** Runs one intent as a legal command on the ticket's current state, updating the model. */
async function perform(ticketId: string, intent: Intent, now: Date, model: Model): Promise<void> {
  const ticket = await ticketRow(ctx, ticketId);
  const patch = (change: Record<string, unknown>) => updateTicket({ db: ctx.db, actor: agent.actor, ticketRef: ticketId, change, channel: "test" });
  const reply = (who: TestUser, isInternal: boolean) => replyToTicket({ db: ctx.db, actor: who.actor, ticketRef: ticketId, body: "…", isInternal, channel: "test" });
  const toDone = () => {
    model.isFirstMet = true;
    if (model.next === "awaiting") model.next = "answered";
  };
  switch (intent.kind) {
    case "agentReply":
    case "note":
    case "customerReply": {
      if (ticket.status === "closed") {
        await patch({ status: "open" }); // a closed ticket takes no messages: reopen it instead
        return;
      }
      if (intent.kind === "note") return void (await reply(agent, true));
      if (intent.kind === "agentReply") {
        await reply(agent, false);
        model.hasAgentReplied = true;
        model.isFirstMet = true;
        if (model.next === "awaiting") model.next = "answered";
        return;
      }
      await reply(customer, false);
      if (model.hasAgentReplied && model.next !== "awaiting") model.next = "awaiting";
      return;
    }
    case "status": {
      const options: TicketStatus[] = [...allowedNextStatuses(ticket.status), ...(canReopen(ticket.status, false) ? (["open"] as const) : [])];
      const to = options[intent.pick % options.length]!;
      await patch({ status: to });
      if (isDone(to)) toDone();
      return;
    }
    case "priority": {
      const others = ticketPriorities.filter((p) => p !== ticket.priority);
      await patch({ priority: others[intent.pick % others.length] as TicketPriority });
      return;
    }
    case "rebaseline": {
      const [applied] = await ctx.db.select().from(ticketEvents).where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.type, "sla.policy_applied"))).orderBy(desc(ticketEvents.id)).limit(1);
      const policyId = (applied!.toValue as { policyId: string }).policyId;
      const [current] = await ctx.db.select().from(slaPolicyVersions).where(eq(slaPolicyVersions.policyId, policyId)).orderBy(desc(slaPolicyVersions.version)).limit(1);
      const definition = structuredClone(current!.definition);
      for (const target of Object.values(definition.targets)) if (target) target.seconds = Math.max(60, Math.round(target.seconds * intent.factor));
      await savePolicy({ db: ctx.db, actor: admin.actor, policyId, definition, apply: "rebaseline_open" });
      return;
    }
    case "sweep":
      await runSlaSweep(ctx.db, now);
      return;
  }
}

/** The clock states the rules call for, given the model, the ticket's status and its policy. */
async function expectModel(ticketId: string, model: Model, now: Date, standardPolicyIds: Set<string>, label: string) {
  const ticket = await ticketRow(ctx, ticketId);
  const clocks = await storedClocks(ctx, ticketId);
  const versionIds = new Set(clocks.resolution ? [clocks.resolution.policyVersionId] : []);
  const [version] = versionIds.size ? await ctx.db.select().from(slaPolicyVersions).where(eq(slaPolicyVersions.id, [...versionIds][0]!)) : [];
  const resolutionPauses = version && standardPolicyIds.has(version.policyId) ? businessPauses : ["waiting_on_customer"];
  const expectState = (clock: StoredClock | undefined, expected: "met" | "running" | "paused", metric: string) => {
    const where = `${label} ${metric}`;
    expect(clock, where).toBeDefined();
    if (expected === "met") expect(clock!.state, where).toBe("met");
    else expect([expected, "breached"], where).toContain(clock!.state);
    if (clock!.state === "met") expect({ metAt: clock!.metAt !== null, dueAt: clock!.dueAt, next: clock!.nextCheckAt }, where).toEqual({ metAt: true, dueAt: null, next: null });
    if (clock!.state === "breached") expect(clock!.breachedAt!.getTime(), where).toBeLessThanOrEqual(now.getTime());
    if (clock!.state === "running") {
      expect(clock!.breachedAt, where).toBeNull();
      expect(clock!.consumedSeconds, where).toBeLessThanOrEqual(clock!.targetSeconds);
      expect(clock!.dueAt!.getTime(), where).toBeGreaterThanOrEqual(now.getTime());
    }
    if (clock!.state === "paused") expect(clock!.dueAt, where).toBeNull();
  };
  expectState(clocks.first_response, model.isFirstMet ? "met" : "running", "first_response");
  expectState(clocks.resolution, isDone(ticket.status) ? "met" : resolutionPauses.includes(ticket.status) ? "paused" : "running", "resolution");
  if (model.next === "none") expect(clocks.next_response, `${label} next_response`).toBeUndefined();
  else {
    const paused = ["waiting_on_customer", "blocked"].includes(ticket.status);
    expectState(clocks.next_response, model.next === "answered" ? "met" : paused ? "paused" : "running", "next_response");
  }
  // One cycle each: time used never goes back.
  for (const metric of ["first_response", "resolution"]) {
    const consumed = clocks[metric]!.consumedSeconds;
    expect(consumed, `${label} ${metric} consumed`).toBeGreaterThanOrEqual(model.consumed[metric] ?? 0);
    model.consumed[metric] = consumed;
  }
}

let runs = 0;
/** Tickets of the current property run, removed after it whether it passed or not. */
const filed: string[] = [];

/** Files a ticket under fresh policies, plays `steps`, checking after each; returns the ticket id and final instant. */
async function play(start: number, priority: TicketPriority, targets: Targets, steps: Step[]) {
  const category = `replay-${++runs}`;
  const standard = new Set<string>();
  for (const [index, definition] of policies(category, targets).entries()) {
    const { version } = await savePolicy({ db: ctx.db, actor: admin.actor, definition });
    if (index === 0) standard.add(version.policyId);
  }
  const ticket = await buildTicket(ctx, customer, { category, priority });
  filed.push(ticket.id);
  let now = new Date(BASE + start * 1000);
  await stampEvents(ctx, ticket.id, 0, now);
  await resync(ctx, ticket.id, now);
  const model: Model = { hasAgentReplied: false, isFirstMet: false, next: "none", consumed: {} };
  for (const [index, { gap, intent }] of steps.entries()) {
    now = addSeconds(now, gap);
    const label = `step ${index} ${JSON.stringify(intent)} at ${now.toISOString()}`;
    const mark = await lastEventId(ctx, ticket.id);
    await perform(ticket.id, intent, now, model);
    await expectStoredEqualsReplay(ctx, ticket.id, `${label} (as stored by the command)`);
    await stampEvents(ctx, ticket.id, mark, now);
    await resync(ctx, ticket.id, now);
    await expectStoredEqualsReplay(ctx, ticket.id, label, now);
    await expectModel(ticket.id, model, now, standard, label);
  }
  return { ticketId: ticket.id, now };
}

const intent: fc.Arbitrary<Intent> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: "agentReply" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "note" as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: "customerReply" as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("status" as const), pick: fc.nat(30) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("priority" as const), pick: fc.nat(30) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("rebaseline" as const), factor: fc.constantFrom(0.1, 0.3, 2) }) },
  { weight: 2, arbitrary: fc.constant({ kind: "sweep" as const }) },
);
// Same-second steps, minutes, and gaps of up to three days (nights, weekends, the holiday).
const gap = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3600 }), fc.integer({ min: 3600, max: 3 * 86_400 }));

describe("clock replay", () => {
  it("stores exactly what a fresh replay of the events computes, on random histories", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 7 * 86_400 }),
        fc.constantFrom<TicketPriority>("low", "medium", "high"),
        fc.record({ first: fc.integer({ min: 600, max: 8 * 3600 }), next: fc.integer({ min: 600, max: 8 * 3600 }), resolution: fc.integer({ min: 3600, max: 40 * 3600 }) }),
        fc.array(fc.record({ gap, intent }), { minLength: 1, maxLength: 10 }),
        async (start, priority, targets, steps) => {
          try {
            const { ticketId, now } = await play(start, priority, targets, steps);
            await expectRebuildIdentical(ctx, ticketId, now);
          } finally {
            // Later runs (and shrinking) sweep the whole database: a finished run's ticket, above
            // all a failing one, must not be in their way.
            await ctx.db.delete(tickets).where(inArray(tickets.id, filed.splice(0)));
          }
        },
      ),
      { seed: 1303, numRuns: 50 },
    );
  }, 120_000);

  it("rebuilds identical rows after they are deleted, for a history with every kind of step", async () => {
    const steps: Step[] = [
      { gap: 1800, intent: { kind: "customerReply" } },
      { gap: 3600, intent: { kind: "note" } },
      { gap: 3600, intent: { kind: "agentReply" } },
      { gap: 600, intent: { kind: "status", pick: 1 } }, // waiting_on_customer
      { gap: 86_400, intent: { kind: "customerReply" } }, // back to in_progress, next response starts
      { gap: 7200, intent: { kind: "sweep" } },
      { gap: 0, intent: { kind: "priority", pick: 1 } }, // high: the calendar-time policy
      { gap: 3600, intent: { kind: "rebaseline", factor: 0.5 } },
      { gap: 3600, intent: { kind: "agentReply" } },
      { gap: 600, intent: { kind: "status", pick: 3 } }, // resolved
      { gap: 86_400 * 3, intent: { kind: "customerReply" } }, // reopens
      { gap: 3600 * 30, intent: { kind: "sweep" } },
    ];
    const { ticketId, now } = await play(0, "medium", { first: 4 * 3600, next: 2 * 3600, resolution: 16 * 3600 }, steps);
    const before = await storedClocks(ctx, ticketId);
    expect(Object.keys(before).sort()).toEqual(["first_response", "next_response", "resolution"]);
    expect(before.resolution!.state).toBe("breached");
    expect((await ticketRow(ctx, ticketId)).status).toBe("in_progress");
    await expectRebuildIdentical(ctx, ticketId, now);
  });
});
