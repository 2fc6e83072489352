import { IANAZone } from "luxon";
import { DAY_MS } from "./clock.js";

/**
 * UTC offsets of an IANA zone, and the mapping from local wall time to UTC instants.
 *
 * Asking Intl (through luxon) for one offset costs about 7 µs, and a ten-year walk needs tens of
 * thousands of lookups. So each zone's offset changes are found once per UTC year (one probe a
 * day, then a binary search to the second) and kept in a memo; after that every lookup is a
 * binary search in a handful of entries. The memo caches tzdata, which does not change while
 * the process runs, so the functions stay pure as far as callers can tell.
 *
 * All instants and offsets here are milliseconds; "local ms" is wall time encoded as if it
 * were UTC (Date.UTC(y, m, d, h, min)).
 */

type YearOffsets = {
  startOffset: number;
  /** Offset changes inside the year, ascending: from `at` on, the offset is `offset`. */
  changes: { at: number; offset: number }[];
};

const memo = new Map<string, Map<number, YearOffsets>>();
const zones = new Map<string, IANAZone>();

function zoneFor(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    if (!IANAZone.isValidZone(name)) throw new RangeError(`unknown IANA time zone "${name}"`);
    zone = IANAZone.create(name);
    zones.set(name, zone);
  }
  return zone;
}

/** Offsets are whole seconds in tzdata; luxon reports fractional minutes for old LMT ones. */
function rawOffset(zone: IANAZone, at: number): number {
  return Math.round(zone.offset(at) * 60) * 1000;
}

function scanYear(zone: IANAZone, year: number): YearOffsets {
  const from = Date.UTC(year, 0, 1);
  const to = Date.UTC(year + 1, 0, 1);
  const startOffset = rawOffset(zone, from);
  const changes: { at: number; offset: number }[] = [];
  let previous = startOffset;
  // A probe a day catches every change except two that cancel out within 24 h, which tzdata
  // does not contain for any zone in use.
  for (let probe = from + DAY_MS; probe <= to; probe += DAY_MS) {
    const target = probe === to ? rawOffset(zone, to - 1000) : rawOffset(zone, probe);
    let cursor = probe - DAY_MS;
    while (previous !== target) {
      // Smallest whole second in (cursor, probe] whose offset differs from `previous`.
      let lo = cursor;
      let hi = probe === to ? to - 1000 : probe;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (rawOffset(zone, mid) === previous) lo = mid;
        else hi = mid;
      }
      previous = rawOffset(zone, hi);
      changes.push({ at: hi, offset: previous });
      cursor = hi;
    }
  }
  return { startOffset, changes };
}

function yearOffsets(zoneName: string, year: number): YearOffsets {
  let byYear = memo.get(zoneName);
  if (!byYear) {
    byYear = new Map();
    memo.set(zoneName, byYear);
  }
  let entry = byYear.get(year);
  if (!entry) {
    entry = scanYear(zoneFor(zoneName), year);
    byYear.set(year, entry);
  }
  return entry;
}

/** The zone's UTC offset (ms) in effect at a UTC instant. */
export function offsetAt(zoneName: string, at: number): number {
  const { startOffset, changes } = yearOffsets(zoneName, new Date(at).getUTCFullYear());
  let lo = 0;
  let hi = changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (changes[mid]!.at <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? startOffset : changes[lo - 1]!.offset;
}

/** The local calendar day (day number) a UTC instant falls on. */
export function localDayOf(zoneName: string, at: number): number {
  return Math.floor((at + offsetAt(zoneName, at)) / DAY_MS);
}

/**
 * The UTC instant for a wall time. `side` settles the two DST cases:
 * - a time that never happens (spring-forward gap) maps to the first instant after the gap,
 *   for starts and ends alike;
 * - a time that happens twice (fall-back) maps to its first occurrence for a start and its last
 *   for an end, so an interval covers every instant whose wall time lies inside it; "24:00" is
 *   an end, hence the later midnight when midnight repeats.
 */
export function localToUtc(zoneName: string, localMs: number, side: "start" | "end"): number {
  const candidates = new Set([
    offsetAt(zoneName, localMs - DAY_MS),
    offsetAt(zoneName, localMs),
    offsetAt(zoneName, localMs + DAY_MS),
  ]);
  let best: number | undefined;
  for (const offset of candidates) {
    const at = localMs - offset;
    if (offsetAt(zoneName, at) !== offset) continue;
    if (best === undefined || (side === "start" ? at < best : at > best)) best = at;
  }
  if (best !== undefined) return best;

  // In a gap: the change happened between the instants the wall time would have under the
  // later (larger) and the earlier (smaller) offset.
  const offsets = [...candidates];
  let lo = localMs - Math.max(...offsets);
  let hi = localMs - Math.min(...offsets);
  const before = offsetAt(zoneName, lo);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(zoneName, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}
