import { weekDays, type Calendar } from "./calendar.js";
import {
  clockMinutes,
  DAY_MS,
  MINUTES_PER_DAY,
  normalizeMinutes,
  parseIsoDate,
  subtractMinutes,
  weekdayOf,
  type MinuteInterval,
} from "./clock.js";
import { localDayOf, localToUtc } from "./zoneOffsets.js";

/** Absolute UTC [start, end) in milliseconds. */
export type MsInterval = readonly [start: number, end: number];

export type IntervalOptions = {
  /** false gives the schedule as if there were no holidays (the timeline uses it). */
  applyHolidays?: boolean;
};

type Compiled = {
  zone: string;
  week: MinuteInterval[][]; // Monday = 0
  holidays: Map<number, { window: MinuteInterval; name: string | undefined }[]>;
  overrides: Map<number, MinuteInterval[]>;
};

// Calendars are immutable values, so compiling each once is safe and saves rebuilding the
// holiday maps on every call of a sweep over thousands of tickets.
const compiled = new WeakMap<Calendar, Compiled>();

function toMinutes(intervals: readonly (readonly [string, string])[]): MinuteInterval[] {
  return normalizeMinutes(intervals.map(([s, e]) => [clockMinutes(s), clockMinutes(e)] as const));
}

function compile(calendar: Calendar): Compiled {
  const cached = compiled.get(calendar);
  if (cached) return cached;
  const fullDay: MinuteInterval[] = [[0, MINUTES_PER_DAY]];
  const week = weekDays.map((day) => (calendar.is24x7 ? fullDay : toMinutes(calendar.week[day])));
  const holidays: Compiled["holidays"] = new Map();
  for (const holiday of calendar.holidays) {
    const day = parseIsoDate(holiday.date);
    if (day === null) throw new RangeError(`holiday date "${holiday.date}" is not a date`);
    const window: MinuteInterval =
      holiday.from !== undefined && holiday.to !== undefined
        ? [clockMinutes(holiday.from), clockMinutes(holiday.to)]
        : [0, MINUTES_PER_DAY];
    const list = holidays.get(day) ?? [];
    list.push({ window, name: holiday.name });
    holidays.set(day, list);
  }
  const overrides: Compiled["overrides"] = new Map();
  for (const override of calendar.overrides ?? []) {
    const day = parseIsoDate(override.date);
    if (day === null) throw new RangeError(`override date "${override.date}" is not a date`);
    overrides.set(day, toMinutes(override.intervals));
  }
  const result: Compiled = { zone: calendar.timezone, week, holidays, overrides };
  compiled.set(calendar, result);
  return result;
}

/** Wall-clock working minutes of one local day, after overrides and holidays. */
function dayMinutes(cal: Compiled, day: number, applyHolidays: boolean): readonly MinuteInterval[] {
  const override = cal.overrides.get(day);
  if (override) return override;
  const base = cal.week[weekdayOf(day)]!;
  const closed = applyHolidays ? cal.holidays.get(day) : undefined;
  return closed ? subtractMinutes(base, closed.map((h) => h.window)) : base;
}

/** One local day's working time as UTC instants; DST rules as in `localToUtc`. */
function dayIntervals(cal: Compiled, day: number, applyHolidays: boolean): MsInterval[] {
  const minutes = dayMinutes(cal, day, applyHolidays);
  if (minutes.length === 0) return [];
  const midnight = day * DAY_MS;
  const out: [number, number][] = [];
  for (const [s, e] of minutes) {
    const start = localToUtc(cal.zone, midnight + s * 60_000, "start");
    const end = localToUtc(cal.zone, midnight + e * 60_000, "end");
    if (end <= start) continue; // e.g. 02:15–02:45 inside a spring-forward gap
    const last = out[out.length - 1];
    // Around a fall-back hour two intervals can overlap once mapped: keep them as one.
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/**
 * Working intervals in ascending order, none overlapping, starting at or after `from`: the
 * first one is clipped to `from`. Stops once an interval could no longer start before `until`;
 * the last one yielded may extend past `until` (callers clip as they need).
 *
 * Days with no working time cost no zone lookups, so a walk over years of mostly closed days
 * stays cheap.
 */
export function* iterateWorkingIntervals(
  calendar: Calendar,
  from: number,
  until: number,
  options: IntervalOptions = {},
): Generator<MsInterval, void, undefined> {
  const cal = compile(calendar);
  const applyHolidays = options.applyHolidays ?? true;
  // Start a day early: the previous local day's "24:00" can reach past our start.
  let day = localDayOf(cal.zone, from) - 1;
  let cursor = from;
  // No zone is more than a day away from UTC, so day D's intervals start after (D - 1) days.
  for (; (day - 1) * DAY_MS < until; day++) {
    for (const [s, e] of dayIntervals(cal, day, applyHolidays)) {
      const start = Math.max(s, cursor);
      if (e <= start) continue;
      if (start >= until) return;
      yield [start, e];
      cursor = e;
    }
  }
}

/** Working time inside [from, to) as UTC millisecond intervals, clipped to the range. */
export function workingIntervals(
  calendar: Calendar,
  from: Date | number,
  to: Date | number,
  options: IntervalOptions = {},
): MsInterval[] {
  const a = typeof from === "number" ? from : from.getTime();
  const b = typeof to === "number" ? to : to.getTime();
  const out: MsInterval[] = [];
  if (!(b > a)) return out;
  for (const [s, e] of iterateWorkingIntervals(calendar, a, b, options)) out.push([s, Math.min(e, b)]);
  return out;
}

/** Name of a holiday closing the given instant's local day, for timelines. */
export function holidayNameAt(calendar: Calendar, at: number): string | undefined {
  const cal = compile(calendar);
  const entries = cal.holidays.get(localDayOf(cal.zone, at));
  return entries?.find((h) => h.name !== undefined)?.name;
}
