import type { Calendar } from "./calendar.js";
import { DAY_MS } from "./clock.js";
import { instantOf, normalizePauses, runningWindows, type Pause } from "./pauses.js";
import { iterateWorkingIntervals } from "./workingIntervals.js";

/**
 * Business-time arithmetic over a calendar. Conventions (relied on by SLA clocks, the preview
 * endpoint and contracts, so change them only deliberately):
 *
 * - Resolution is one second. Input instants are floored to whole seconds; targets are whole
 *   seconds.
 * - Business time is real elapsed time inside working intervals. A 09:00–17:00 day that contains
 *   a DST jump inside the interval has 7 or 9 real hours; a 24/7 day of 25 hours counts 25.
 * - Intervals are half-open [open, close). A target used up exactly at a closing time is due at
 *   that closing instant, not at the next opening: 8 h from Monday 09:00 on a 09–17 calendar is
 *   Monday 17:00.
 * - A start outside working hours begins counting at the next opening.
 * - addBusinessTime(s, 0) returns s unchanged (even if s is outside hours or has milliseconds).
 * - An answer more than MAX_SEARCH_DAYS of calendar time past the start is refused with a
 *   RangeError, so a calendar with almost no working time cannot make a caller loop for ever.
 * - Wall times missing or repeated because of DST are resolved as in zoneOffsets.localToUtc.
 */

/** Ten years of calendar time, leap days included. */
export const MAX_SEARCH_DAYS = 3653;
const MAX_SEARCH_MS = MAX_SEARCH_DAYS * DAY_MS;

function tooFar(seconds: number): RangeError {
  return new RangeError(
    `${seconds} business seconds would end more than 10 years (${MAX_SEARCH_DAYS} days) after the start`,
  );
}

/** The instant at which `seconds` of business time have elapsed since `start`. */
export function addBusinessTime(start: Date, seconds: number, calendar: Calendar): Date {
  const from = instantOf(start, "start");
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`business seconds must be a whole number >= 0, got ${seconds}`);
  }
  if (seconds === 0) return new Date(start.getTime());
  // Even a 24/7 calendar cannot fit this in the window: refuse without walking.
  if (seconds * 1000 > MAX_SEARCH_MS) throw tooFar(seconds);
  const limit = from + MAX_SEARCH_MS;
  let remaining = seconds * 1000;
  for (const [s, e] of iterateWorkingIntervals(calendar, from, limit)) {
    if (remaining <= e - s) {
      const due = s + remaining;
      if (due > limit) break;
      return new Date(due);
    }
    remaining -= e - s;
  }
  throw tooFar(seconds);
}

function sumWorking(calendar: Calendar, from: number, to: number): number {
  let total = 0;
  for (const [s, e] of iterateWorkingIntervals(calendar, from, to)) total += Math.min(e, to) - s;
  return total;
}

/** Business seconds in [a, b); 0 when b <= a. */
export function businessSecondsBetween(a: Date, b: Date, calendar: Calendar): number {
  const from = instantOf(a, "a");
  const to = instantOf(b, "b");
  if (to <= from) return 0;
  return sumWorking(calendar, from, to) / 1000;
}

/**
 * The instant at which `seconds` of business time outside every pause have elapsed since
 * `start`: the inverse of businessSecondsBetweenWithPauses, with addBusinessTime's conventions
 * (a target used up as a pause begins is due at that instant; refused past MAX_SEARCH_DAYS).
 */
export function addBusinessTimeWithPauses(start: Date, seconds: number, pauses: readonly Pause[], calendar: Calendar): Date {
  if (pauses.length === 0 || seconds === 0) return addBusinessTime(start, seconds, calendar);
  const from = instantOf(start, "start");
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new RangeError(`business seconds must be a whole number >= 0, got ${seconds}`);
  }
  if (seconds * 1000 > MAX_SEARCH_MS) throw tooFar(seconds);
  const limit = from + MAX_SEARCH_MS;
  let remaining = seconds * 1000;
  for (const [ws, we] of runningWindows(from, limit, normalizePauses(from, limit, pauses))) {
    for (const [s, e] of iterateWorkingIntervals(calendar, ws, we)) {
      const end = Math.min(e, we);
      if (remaining <= end - s) return new Date(s + remaining);
      remaining -= end - s;
    }
  }
  throw tooFar(seconds);
}

/**
 * Business seconds in [a, b) outside every pause. Pauses may overlap each other, extend past
 * the range, and span nights and holidays; overlapping time is excluded once.
 */
export function businessSecondsBetweenWithPauses(
  a: Date,
  b: Date,
  pauses: readonly Pause[],
  calendar: Calendar,
): number {
  const from = instantOf(a, "a");
  const to = instantOf(b, "b");
  if (to <= from) return 0;
  let total = 0;
  for (const [s, e] of runningWindows(from, to, normalizePauses(from, to, pauses))) {
    total += sumWorking(calendar, s, e);
  }
  return total / 1000;
}
