import { describe, expect, it } from "vitest";
import { calendar24x7, defaultBusinessCalendar } from "./calendar.js";
import { computeClocks, type ClockEvent, type ResolvedPolicy } from "./computeClocks.js";

const H = 3600;
const cal = defaultBusinessCalendar("UTC");
const policy = (v = "v1", first = 4 * H, resolution = 24 * H, calendar = cal): ResolvedPolicy => ({
  versionId: v,
  targets: {
    first_response: { seconds: first, calendar, pauseStatuses: [], warnAt: [75, 90] },
    next_response: { seconds: 2 * H, calendar, pauseStatuses: ["waiting_on_customer", "blocked"], warnAt: [75, 90] },
    resolution: { seconds: resolution, calendar, pauseStatuses: ["waiting_on_customer", "blocked"], warnAt: [75, 90] },
  },
});
// Monday 2026-11-23 09:00 UTC.
const mon = (h: number, m = 0) => new Date(Date.UTC(2026, 10, 23, h, m));
const day = (d: number, h: number, m = 0) => new Date(Date.UTC(2026, 10, 23 + d, h, m));
const open = (at: Date, p: ResolvedPolicy = policy()): ClockEvent[] => [
  { type: "created", at, status: "open" },
  { type: "policy", at, policy: p },
];
const byMetric = (events: ClockEvent[], now: Date) => Object.fromEntries(computeClocks(events, now).map((c) => [c.metric, c]));

describe("computeClocks", () => {
  it("runs first response and resolution from creation, due in business time", () => {
    const c = byMetric(open(mon(15)), mon(16));
    expect(c.first_response).toMatchObject({ state: "running", consumedSeconds: H, dueAt: day(1, 11) });
    expect(c.resolution!.dueAt).toEqual(day(3, 15));
    expect(c.next_response).toBeUndefined();
  });

  it("meets first response with a public agent reply, exactly at the due instant too", () => {
    const c = byMetric([...open(mon(9)), { type: "agent_reply", at: mon(13) }], mon(18));
    expect(c.first_response).toMatchObject({ state: "met", metAt: mon(13), breachedAt: null, consumedSeconds: 4 * H });
  });

  it("breaches at the exact instant the target is used up", () => {
    const c = byMetric(open(mon(15)), day(1, 12));
    expect(c.first_response).toMatchObject({ state: "breached", breachedAt: day(1, 11) });
  });

  it("pauses resolution (not first response) while waiting on the customer", () => {
    const events: ClockEvent[] = [
      ...open(mon(9)),
      { type: "agent_reply", at: mon(10) },
      { type: "status", at: mon(10), from: "open", to: "waiting_on_customer" },
      { type: "customer_reply", at: mon(14) },
      { type: "status", at: mon(14), from: "waiting_on_customer", to: "in_progress" },
    ];
    const c = byMetric(events, mon(15));
    expect(c.resolution).toMatchObject({ state: "running", consumedSeconds: 2 * H });
    expect(c.resolution!.pauses).toEqual([{ from: mon(10), to: mon(14), status: "waiting_on_customer" }]);
    expect(c.next_response).toMatchObject({ state: "running", consumedSeconds: H, startedAt: mon(14) });
  });

  it("starts a fresh next-response cycle for each customer message after an answer", () => {
    const events: ClockEvent[] = [
      ...open(mon(9)),
      { type: "customer_reply", at: mon(9, 30) },
      { type: "agent_reply", at: mon(10) },
      { type: "customer_reply", at: mon(11) },
      { type: "customer_reply", at: mon(12) },
    ];
    const c = byMetric(events, mon(12, 30));
    expect(c.next_response).toMatchObject({ state: "running", startedAt: mon(11), consumedSeconds: 1.5 * H });
  });

  it("resumes resolution on reopen, keeping the time used", () => {
    const events: ClockEvent[] = [
      ...open(mon(9)),
      { type: "status", at: mon(12), from: "open", to: "resolved" },
      { type: "status", at: day(1, 9), from: "resolved", to: "in_progress" },
    ];
    const c = byMetric(events, day(1, 10));
    expect(c.resolution).toMatchObject({ state: "running", consumedSeconds: 4 * H, metAt: null });
  });

  it("re-baselines to a new target, keeping consumed time", () => {
    const events: ClockEvent[] = [...open(mon(9)), { type: "policy", at: mon(11), policy: policy("v2", 3 * H) }];
    const c = byMetric(events, mon(11));
    expect(c.first_response).toMatchObject({ policyVersionId: "v2", targetSeconds: 3 * H, consumedSeconds: 2 * H, dueAt: mon(12) });
  });

  it("meets every clock on merge, without a breach", () => {
    const c = byMetric([...open(mon(9)), { type: "merged", at: mon(10) }], day(5, 9));
    for (const clock of Object.values(c)) expect(clock).toMatchObject({ state: "met", breachedAt: null });
  });

  it("counts calendar time on a 24/7 calendar, nights included", () => {
    const c = byMetric(open(mon(22), policy("v1", 4 * H, 24 * H, calendar24x7())), day(1, 1));
    expect(c.first_response).toMatchObject({ consumedSeconds: 3 * H, dueAt: day(1, 2) });
  });

  it("schedules the sweeper at the next unwarned threshold, then at the breach", () => {
    const base = open(mon(9));
    expect(byMetric(base, mon(9)).first_response!.nextCheckAt).toEqual(mon(12));
    const warned: ClockEvent[] = [...base, { type: "warned", at: mon(12), metric: "first_response", threshold: 75 }];
    expect(byMetric(warned, mon(12)).first_response!.nextCheckAt).toEqual(new Date(mon(12, 36).getTime()));
    const all: ClockEvent[] = [...warned, { type: "warned", at: mon(12, 36), metric: "first_response", threshold: 90 }];
    expect(byMetric(all, mon(12, 36)).first_response!.nextCheckAt).toEqual(new Date(mon(13).getTime() + 1000));
  });
});
