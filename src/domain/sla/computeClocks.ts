import { addBusinessTime, businessSecondsBetween } from "./businessTime.js";
import type { Calendar } from "./calendar.js";
import { slaMetrics, type SlaMetric } from "./policy.js";
import type { TicketStatus } from "../ticketStatus.js";

/** A metric's target as the engine uses it: the calendar is already chosen (24/7 UTC for calendar time). */
export type ResolvedTarget = {
  seconds: number;
  calendar: Calendar;
  pauseStatuses: readonly TicketStatus[];
  warnAt: readonly number[];
};

export type ResolvedPolicy = { versionId: string; targets: Partial<Record<SlaMetric, ResolvedTarget>> };

/** The facts of a ticket's history that move SLA clocks, in the order they happened. */
export type ClockEvent =
  | { type: "created"; at: Date; status: TicketStatus }
  | { type: "status"; at: Date; from: TicketStatus; to: TicketStatus }
  | { type: "agent_reply"; at: Date }
  | { type: "customer_reply"; at: Date }
  | { type: "policy"; at: Date; policy: ResolvedPolicy | null }
  | { type: "merged"; at: Date }
  | { type: "warned"; at: Date; metric: SlaMetric; threshold: number }
  | { type: "breach_handled"; at: Date; metric: SlaMetric };

export type ClockState = "running" | "paused" | "met" | "breached";

export type ClockSnapshot = {
  metric: SlaMetric;
  state: ClockState;
  policyVersionId: string;
  targetSeconds: number;
  consumedSeconds: number;
  startedAt: Date;
  /** When the target is used up if nothing pauses it; null while paused or once met. */
  dueAt: Date | null;
  breachedAt: Date | null;
  metAt: Date | null;
  warnedAt: Record<string, Date>;
  isBreachHandled: boolean;
  /** The next instant the sweeper must look at this clock (a threshold or the breach), or null. */
  nextCheckAt: Date | null;
  /** Paused intervals of the current cycle, for the human-readable timeline. */
  pauses: { from: Date; to: Date | null; status: TicketStatus }[];
};

type Cycle = {
  target: ResolvedTarget;
  versionId: string;
  startedAt: number;
  consumed: number;
  /** Start of the current running stretch; null while paused. */
  since: number | null;
  breachedAt: number | null;
  metAt: number | null;
  warnedAt: Map<number, number>;
  isBreachHandled: boolean;
  pauses: { from: number; to: number | null; status: TicketStatus }[];
};

const isDone = (s: TicketStatus) => s === "resolved" || s === "closed";

/**
 * Replays a ticket's history into its SLA clocks, as of `now`. Stored clocks are this
 * function's output, so replaying the event log always reproduces them exactly.
 *
 * - first_response starts when a policy applies and is met by the first public agent reply
 *   (internal notes and automatic acknowledgements are not events here), or by resolving.
 * - next_response starts at each customer message once an agent has answered, and is met by
 *   the next public agent reply; each cycle starts from zero.
 * - resolution runs from creation to resolved/closed; a reopen resumes it, keeping the time used.
 * - A metric pauses while the status is one of its pause statuses.
 * - A changed policy (re-baseline, or new priority) keeps the time used and swaps the target.
 * - Merging meets every open clock: the work continues on the target ticket.
 * - A target used up at exactly the instant of a reply is met, not breached.
 */
export function computeClocks(events: readonly ClockEvent[], now: Date): ClockSnapshot[] {
  const cycles = new Map<SlaMetric, Cycle>();
  let status: TicketStatus = "open";
  let hasAgentReplied = false;
  /** When a customer last wrote to a resolved ticket: the reopen that follows awaits an answer. */
  let messageWhileDoneAt: number | null = null;
  let policy: ResolvedPolicy | null = null;

  const advance = (c: Cycle, at: number) => {
    if (c.metAt !== null || c.since === null || at <= c.since) return;
    const used = businessSecondsBetween(new Date(c.since), new Date(at), c.target.calendar);
    if (c.breachedAt === null && c.consumed + used > c.target.seconds) {
      c.breachedAt = addBusinessTime(new Date(c.since), c.target.seconds - c.consumed, c.target.calendar).getTime();
    }
    c.consumed += used;
    c.since = at;
  };
  const advanceAll = (at: number) => cycles.forEach((c) => advance(c, at));
  const isPausedFor = (t: ResolvedTarget) => t.pauseStatuses.includes(status);
  const start = (metric: SlaMetric, at: number) => {
    const target = policy?.targets[metric];
    if (!target || !policy) return;
    const running = !isPausedFor(target);
    cycles.set(metric, {
      target,
      versionId: policy.versionId,
      startedAt: at,
      consumed: 0,
      since: running ? at : null,
      breachedAt: null,
      metAt: null,
      warnedAt: new Map(),
      isBreachHandled: false,
      pauses: running ? [] : [{ from: at, to: null, status }],
    });
  };
  const meet = (metric: SlaMetric, at: number) => {
    const c = cycles.get(metric);
    if (!c || c.metAt !== null) return;
    c.metAt = at;
    c.since = null;
    closePause(c, at);
  };
  const closePause = (c: Cycle, at: number) => {
    const open = c.pauses.at(-1);
    if (open && open.to === null) open.to = at;
  };
  const applyPauses = (at: number) => {
    for (const c of cycles.values()) {
      if (c.metAt !== null) continue;
      const paused = isPausedFor(c.target);
      if (paused && c.since !== null) {
        c.since = null;
        c.pauses.push({ from: at, to: null, status });
      } else if (!paused && c.since === null) {
        c.since = at;
        closePause(c, at);
      }
    }
  };

  for (const event of events) {
    const at = Math.floor(event.at.getTime() / 1000) * 1000;
    advanceAll(at);
    switch (event.type) {
      case "created":
        status = event.status;
        break;
      case "policy": {
        policy = event.policy;
        if (!policy) break;
        for (const metric of slaMetrics) {
          const target = policy.targets[metric];
          const c = cycles.get(metric);
          if (c && target) {
            // Re-baseline: same cycle, time used so far kept, new target and version.
            c.target = target;
            c.versionId = policy.versionId;
            // A target lowered below the time already used is breached as of the change; not
            // retroactively, since the clock was within the rules in force until then.
            if (c.metAt === null && c.breachedAt === null && c.consumed > target.seconds) c.breachedAt = at;
          } else if (!c && target && metric !== "next_response") {
            start(metric, at);
            if (metric === "first_response" && hasAgentReplied) meet(metric, at);
            if (isDone(status)) meet(metric, at);
          }
        }
        applyPauses(at);
        break;
      }
      case "status": {
        status = event.to;
        if (isDone(event.to)) {
          for (const metric of slaMetrics) meet(metric, at);
        } else if (isDone(event.from)) {
          const c = cycles.get("resolution");
          if (c && c.metAt !== null) {
            // The resolved stretch is stopped time; record it so the timeline doesn't count it.
            c.pauses.push({ from: c.metAt, to: at, status: event.from });
            c.metAt = null;
            c.since = at;
          }
          // A customer's message that reopens the ticket awaits an answer like any other.
          const next = cycles.get("next_response");
          if (hasAgentReplied && messageWhileDoneAt === at && (!next || next.metAt !== null)) start("next_response", at);
          messageWhileDoneAt = null;
        }
        applyPauses(at);
        break;
      }
      case "agent_reply":
        hasAgentReplied = true;
        meet("first_response", at);
        meet("next_response", at);
        break;
      case "customer_reply": {
        if (isDone(status)) messageWhileDoneAt = at;
        const current = cycles.get("next_response");
        const awaiting = current !== undefined && current.metAt === null;
        if (hasAgentReplied && !awaiting && !isDone(status)) start("next_response", at);
        break;
      }
      case "merged":
        for (const metric of slaMetrics) meet(metric, at);
        break;
      case "warned":
        cycles.get(event.metric)?.warnedAt.set(event.threshold, at);
        break;
      case "breach_handled": {
        const c = cycles.get(event.metric);
        if (c) c.isBreachHandled = true;
        break;
      }
    }
  }
  const nowMs = Math.floor(now.getTime() / 1000) * 1000;
  advanceAll(nowMs);
  return [...cycles.entries()].map(([metric, c]) => snapshot(metric, c));
}

function snapshot(metric: SlaMetric, c: Cycle): ClockSnapshot {
  const remaining = c.target.seconds - c.consumed;
  const dueAt =
    c.metAt !== null || c.since === null
      ? null
      : remaining >= 0
        ? addBusinessTime(new Date(c.since), remaining, c.target.calendar)
        : new Date(c.breachedAt!);
  const state: ClockState =
    c.metAt !== null ? "met" : c.breachedAt !== null ? "breached" : c.since === null ? "paused" : "running";

  let nextCheckAt: Date | null = null;
  if (c.metAt === null && c.since !== null) {
    const candidates: number[] = [];
    for (const threshold of c.target.warnAt) {
      if (c.warnedAt.has(threshold)) continue;
      const mark = Math.ceil((c.target.seconds * threshold) / 100);
      candidates.push(mark <= c.consumed ? c.since : addBusinessTime(new Date(c.since), mark - c.consumed, c.target.calendar).getTime());
    }
    if (!c.isBreachHandled && dueAt) candidates.push(Math.max(dueAt.getTime() + 1000, c.since));
    if (candidates.length) nextCheckAt = new Date(Math.min(...candidates));
  }
  return {
    metric,
    state,
    policyVersionId: c.versionId,
    targetSeconds: c.target.seconds,
    consumedSeconds: c.consumed,
    startedAt: new Date(c.startedAt),
    dueAt,
    breachedAt: c.breachedAt === null ? null : new Date(c.breachedAt),
    metAt: c.metAt === null ? null : new Date(c.metAt),
    warnedAt: Object.fromEntries([...c.warnedAt].map(([k, v]) => [String(k), new Date(v)])),
    isBreachHandled: c.isBreachHandled,
    nextCheckAt,
    pauses: c.pauses.map((p) => ({ from: new Date(p.from), to: p.to === null ? null : new Date(p.to), status: p.status })),
  };
}
