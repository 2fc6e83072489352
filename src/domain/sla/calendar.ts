import { IANAZone } from "luxon";
import { z } from "zod";
import { parseClock, parseIsoDate } from "./clock.js";

/**
 * A business calendar. Validation happens here, once, so the engine can trust its input and
 * an API can answer 422 naming the exact field (`week.mon.1`, `holidays.0.date`, `timezone`).
 *
 * Semantics the engine relies on:
 * - `week` lists working intervals per weekday as wall-clock times in `timezone`; "24:00" is
 *   accepted only as an end and means midnight of the next day.
 * - `is24x7: true` makes every day 00:00–24:00 whatever `week` says (holidays and overrides
 *   still apply), so a 24/7 calendar may carry an empty week.
 * - `holidays` without `from`/`to` close the whole local day; with them, only that window.
 * - `overrides` are the final word for their date: the listed intervals replace the weekday's,
 *   and holidays on that date are ignored, because a dated override is the most specific
 *   statement an admin can make ("we open 10–14 on this Boxing Day"). `intervals: []` closes it.
 */

const dayKeys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type DayKey = (typeof dayKeys)[number];
export const weekDays: readonly DayKey[] = dayKeys;

const ZClockTime = z.string().superRefine((value, ctx) => {
  const parsed = parseClock(value);
  if (parsed === "malformed") ctx.addIssue({ code: "custom", message: `"${value}" is not a time in HH:MM form` });
  if (parsed === "past_midnight") ctx.addIssue({ code: "custom", message: `"${value}" is past 24:00` });
});

const ZIsoDate = z.string().superRefine((value, ctx) => {
  if (parseIsoDate(value) === null) {
    ctx.addIssue({ code: "custom", message: `"${value}" is not a calendar date in YYYY-MM-DD form` });
  }
});

/** Pushes an issue unless `start` is a usable start and `end` lies after it. */
function checkRange(
  start: string,
  end: string,
  ctx: z.RefinementCtx,
  paths: { start: PropertyKey[]; range: PropertyKey[] },
  what: string,
): void {
  const s = parseClock(start);
  const e = parseClock(end);
  if (typeof s !== "number" || typeof e !== "number") return; // already reported by ZClockTime
  if (s === 1440) {
    ctx.addIssue({ code: "custom", path: paths.start, message: `24:00 can only end ${what}, not start it` });
  } else if (s >= e) {
    ctx.addIssue({ code: "custom", path: paths.range, message: `${what} ${start}–${end} is empty or reversed` });
  }
}

export const ZInterval = z.tuple([ZClockTime, ZClockTime]).superRefine(([start, end], ctx) => {
  checkRange(start, end, ctx, { start: [0], range: [] }, "an interval");
});
export type Interval = z.infer<typeof ZInterval>;

/** A day's intervals: each valid on its own, and none overlapping another (touching is fine). */
const ZDayIntervals = z.array(ZInterval).max(48).superRefine((intervals, ctx) => {
  const parsed = intervals
    .map(([s, e], index) => ({ s: parseClock(s), e: parseClock(e), index }))
    .filter((x): x is { s: number; e: number; index: number } =>
      typeof x.s === "number" && typeof x.e === "number" && x.s < x.e,
    )
    .sort((a, b) => a.s - b.s || a.index - b.index);
  for (let i = 1; i < parsed.length; i++) {
    const previous = parsed[i - 1]!;
    const current = parsed[i]!;
    if (current.s < previous.e) {
      const [ps, pe] = intervals[previous.index]!;
      ctx.addIssue({
        code: "custom",
        path: [current.index],
        message: `overlaps interval ${previous.index} (${ps}–${pe}) on the same day`,
      });
    }
  }
});

export const ZWeek = z.strictObject({
  mon: ZDayIntervals.default([]),
  tue: ZDayIntervals.default([]),
  wed: ZDayIntervals.default([]),
  thu: ZDayIntervals.default([]),
  fri: ZDayIntervals.default([]),
  sat: ZDayIntervals.default([]),
  sun: ZDayIntervals.default([]),
});
export type Week = z.infer<typeof ZWeek>;

export const ZHoliday = z
  .strictObject({
    date: ZIsoDate,
    name: z.string().max(200).optional(),
    from: ZClockTime.optional(),
    to: ZClockTime.optional(),
  })
  .superRefine((holiday, ctx) => {
    const { from, to } = holiday;
    if (from === undefined && to === undefined) return;
    if (from === undefined || to === undefined) {
      const missing = from === undefined ? "from" : "to";
      ctx.addIssue({ code: "custom", path: [missing], message: "a partial-day holiday needs both from and to" });
      return;
    }
    checkRange(from, to, ctx, { start: ["from"], range: ["to"] }, "a partial-day holiday");
  });
export type Holiday = z.infer<typeof ZHoliday>;

export const ZOverride = z.strictObject({
  date: ZIsoDate,
  intervals: ZDayIntervals,
  name: z.string().max(200).optional(),
});
export type Override = z.infer<typeof ZOverride>;

export const ZCalendar = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), {
      message: "unknown IANA time zone",
    }),
    is24x7: z.boolean().optional(),
    week: ZWeek.default({ mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }),
    holidays: z.array(ZHoliday).max(10_000).default([]),
    overrides: z.array(ZOverride).max(10_000).optional(),
  })
  .superRefine((calendar, ctx) => {
    if (!calendar.is24x7 && dayKeys.every((day) => calendar.week[day].length === 0)) {
      ctx.addIssue({
        code: "custom",
        path: ["week"],
        message: "the week has no working time; add intervals or mark the calendar is24x7",
      });
    }
    // Two overrides for one date would make "the final word for that date" ambiguous.
    const seen = new Map<string, number>();
    (calendar.overrides ?? []).forEach((override, index) => {
      const first = seen.get(override.date);
      if (first === undefined) seen.set(override.date, index);
      else {
        ctx.addIssue({
          code: "custom",
          path: ["overrides", index, "date"],
          message: `${override.date} already has an override (overrides.${first})`,
        });
      }
    });
  });

/** A validated calendar, as the engine receives it. Treat it as an immutable value. */
export type Calendar = z.infer<typeof ZCalendar>;
/** What an admin may send: days, holidays and overrides can be left out. */
export type CalendarInput = z.input<typeof ZCalendar>;

const allDay: Interval[] = [["00:00", "24:00"]];
const nineToFive: Interval[] = [["09:00", "17:00"]];

/** Every second counts. The week is filled in too, so readers that ignore is24x7 agree. */
export function calendar24x7(timezone = "UTC"): Calendar {
  const week = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
  return ZCalendar.parse({ name: "24/7", timezone, is24x7: true, week, holidays: [] });
}

/** Monday to Friday, 09:00–17:00 in `timezone`, no holidays: the default SLA calendar. */
export function defaultBusinessCalendar(timezone = "UTC"): Calendar {
  const week = { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive, sat: [], sun: [] };
  return ZCalendar.parse({ name: "Business hours", timezone, week, holidays: [] });
}
