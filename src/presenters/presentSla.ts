import type { PolicyVersionRow } from "../db/repositories/slaConfig.js";
import { resolvePolicy } from "../db/repositories/slaConfig.js";
import type { ClockSnapshot } from "../domain/sla/computeClocks.js";
import { explainTimeline, type TimelineSegment } from "../domain/sla/explainTimeline.js";

const statusWords: Record<string, string> = { waiting_on_customer: "waiting on customer", blocked: "blocked" };

/** "2 h 13 min", "45 s": how a support lead reads a duration. */
export function humanDuration(seconds: number): string {
  const s = Math.round(seconds);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [d ? `${d} d` : "", h ? `${h} h` : "", m ? `${m} min` : ""].filter(Boolean);
  return parts.length ? parts.join(" ") : `${s} s`;
}

function label(seg: TimelineSegment, reason: string | undefined): string {
  const span = humanDuration(seg.seconds);
  switch (seg.kind) {
    case "running":
      return `running ${span}`;
    case "paused":
      return `paused ${span}${reason ? ` ${reason}` : ""}`;
    case "holiday":
      return `${span} holiday${seg.holiday ? ` (${seg.holiday})` : ""}`;
    default:
      return `${span} outside business hours`;
  }
}

/** A clock with its numbers and the human-readable timeline of how its time was spent. */
export function presentClock(clock: ClockSnapshot, version: PolicyVersionRow | undefined, now: Date) {
  const resolved = version ? resolvePolicy(version).targets[clock.metric] : undefined;
  const end = clock.metAt ?? now;
  const pauses = clock.pauses.map((p) => ({ from: p.from, to: p.to ?? end }));
  const segments = resolved ? explainTimeline(clock.startedAt, end, pauses, resolved.calendar) : [];
  const remaining = clock.targetSeconds - clock.consumedSeconds;
  return {
    metric: clock.metric,
    state: clock.state,
    targetSeconds: clock.targetSeconds,
    consumedSeconds: clock.consumedSeconds,
    remainingSeconds: remaining,
    percent: Math.round((clock.consumedSeconds / clock.targetSeconds) * 1000) / 10,
    startedAt: clock.startedAt.toISOString(),
    dueAt: clock.dueAt?.toISOString() ?? null,
    breachedAt: clock.breachedAt?.toISOString() ?? null,
    metAt: clock.metAt?.toISOString() ?? null,
    warnedAt: Object.fromEntries(Object.entries(clock.warnedAt).map(([k, v]) => [k, v.toISOString()])),
    policy: version ? { id: version.policyId, version: version.version, name: version.definition.name } : null,
    timeline: segments.map((seg) => {
      const pause = seg.kind === "paused" ? [...clock.pauses].reverse().find((p) => p.from.getTime() <= seg.from.getTime()) : undefined;
      const reason = pause ? statusWords[pause.status] ?? pause.status.replaceAll("_", " ") : undefined;
      return { from: seg.from.toISOString(), to: seg.to.toISOString(), kind: seg.kind, seconds: seg.seconds, label: label(seg, reason) };
    }),
  };
}
