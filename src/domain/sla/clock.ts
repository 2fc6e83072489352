/**
 * Wall-clock and civil-date parsing shared by the calendar schema and the interval engine.
 * Dates are handled as "day numbers" (days since 1970-01-01 in the proleptic Gregorian
 * calendar) so that weekday and date arithmetic never depends on the host's time zone.
 */

export const MINUTES_PER_DAY = 1440;
export const DAY_MS = 86_400_000;

/** An interval of wall-clock minutes within one local day, [start, end), end may be 1440. */
export type MinuteInterval = readonly [start: number, end: number];

export type ClockProblem = "malformed" | "past_midnight";

const CLOCK = /^(\d{2}):(\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Minutes since local midnight for "HH:MM", 0..1440, or why it was refused. "24:00" parses
 * to 1440; whether it is acceptable (only as an end) is for the caller to decide.
 */
export function parseClock(value: string): number | ClockProblem {
  const match = CLOCK.exec(value);
  if (!match) return "malformed";
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59) return "malformed";
  const total = hours * 60 + minutes;
  return total > MINUTES_PER_DAY ? "past_midnight" : total;
}

/** Same as parseClock for values already validated by the schema. */
export function clockMinutes(value: string): number {
  const parsed = parseClock(value);
  if (typeof parsed !== "number") throw new RangeError(`invalid clock time "${value}"`);
  return parsed;
}

/** Day number for a real "YYYY-MM-DD" date, or null (2026-02-30 is null, not March 2nd). */
export function parseIsoDate(value: string): number | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls over silently, so a round trip is what catches impossible days.
  const back = new Date(ms);
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

/** Monday = 0 … Sunday = 6. Day 0 (1970-01-01) was a Thursday. */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

/** Sorted, merged copy; touching intervals ([9,12] + [12,17]) become one. */
export function normalizeMinutes(intervals: readonly MinuteInterval[]): MinuteInterval[] {
  const sorted = intervals.filter(([s, e]) => e > s).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** `base` minus every window in `cut`; both may be unsorted. */
export function subtractMinutes(
  base: readonly MinuteInterval[],
  cut: readonly MinuteInterval[],
): MinuteInterval[] {
  let current = normalizeMinutes(base);
  for (const [cs, ce] of normalizeMinutes(cut)) {
    const next: MinuteInterval[] = [];
    for (const [s, e] of current) {
      if (ce <= s || cs >= e) next.push([s, e]);
      else {
        if (cs > s) next.push([s, cs]);
        if (ce < e) next.push([ce, e]);
      }
    }
    current = next;
  }
  return current;
}
