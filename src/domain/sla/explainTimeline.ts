import type { Calendar } from "./calendar.js";
import { instantOf, normalizePauses, type Pause } from "./pauses.js";
import { holidayNameAt, workingIntervals, type MsInterval } from "./workingIntervals.js";

export type TimelineKind = "running" | "paused" | "outside_hours" | "holiday";

export type TimelineSegment = {
  from: Date;
  to: Date;
  kind: TimelineKind;
  /** Elapsed seconds of the segment. For "running" these are exactly the business seconds. */
  seconds: number;
  /** Business seconds the segment would have counted had it not been paused ("paused" only). */
  businessSeconds?: number;
  /** The holiday's name, when the calendar gives one ("holiday" only). */
  holiday?: string;
};

/** Walks one sorted, non-overlapping interval list alongside ascending instants. */
function membership(intervals: readonly MsInterval[]): (at: number) => boolean {
  let index = 0;
  return (at) => {
    while (index < intervals.length && intervals[index]![1] <= at) index++;
    const current = intervals[index];
    return current !== undefined && current[0] <= at;
  };
}

function overlap(intervals: readonly MsInterval[], from: number, to: number): number {
  let total = 0;
  for (const [s, e] of intervals) total += Math.max(0, Math.min(e, to) - Math.max(s, from));
  return total;
}

/**
 * Splits [start, end) into the segments a human-readable SLA timeline is built from ("running
 * 09:00–10:30, paused 2 h 13 min, 37 min outside business hours"). Segments are contiguous,
 * cover the whole range, and adjacent segments differ in kind (or holiday name).
 *
 * Precedence: a pause wins over everything (the clock was stopped whatever the hour); then
 * working time is "running"; time the weekly schedule would have worked but a holiday closed
 * is "holiday"; anything else is "outside_hours". The running seconds add up to
 * businessSecondsBetweenWithPauses over the same inputs.
 */
export function explainTimeline(
  start: Date,
  end: Date,
  pauses: readonly Pause[],
  calendar: Calendar,
): TimelineSegment[] {
  const from = instantOf(start, "start");
  const to = instantOf(end, "end");
  if (to <= from) return [];
  const working = workingIntervals(calendar, from, to);
  const scheduled = workingIntervals(calendar, from, to, { applyHolidays: false });
  const paused = normalizePauses(from, to, pauses);

  const cuts = new Set<number>([from, to]);
  for (const list of [working, scheduled, paused]) {
    for (const [s, e] of list) cuts.add(s).add(e);
  }
  const points = [...cuts].filter((p) => p >= from && p <= to).sort((x, y) => x - y);
  const isPaused = membership(paused);
  const isWorking = membership(working);
  const isScheduled = membership(scheduled);

  const segments: TimelineSegment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const s = points[i]!;
    const e = points[i + 1]!;
    const kind: TimelineKind = isPaused(s)
      ? "paused"
      : isWorking(s)
        ? "running"
        : isScheduled(s)
          ? "holiday"
          : "outside_hours";
    const holiday = kind === "holiday" ? holidayNameAt(calendar, s) : undefined;
    const last = segments[segments.length - 1];
    if (last && last.kind === kind && last.holiday === holiday) {
      last.to = new Date(e);
      last.seconds += (e - s) / 1000;
    } else {
      segments.push({ from: new Date(s), to: new Date(e), kind, seconds: (e - s) / 1000, ...(holiday ? { holiday } : {}) });
    }
  }
  for (const segment of segments) {
    if (segment.kind === "paused") {
      segment.businessSeconds = overlap(working, segment.from.getTime(), segment.to.getTime()) / 1000;
    }
  }
  return segments;
}
