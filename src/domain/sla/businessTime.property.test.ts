import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  addBusinessTime,
  businessSecondsBetween,
  businessSecondsBetweenWithPauses,
} from "./businessTime.js";
import { ZCalendar, type Calendar } from "./calendar.js";
import { explainTimeline } from "./explainTimeline.js";

/*
 * Properties of the business-time core over random calendars. Seeds are fixed so a failure
 * reproduces; fast-check prints the counterexample and the seed/path to replay it.
 */

/**
 * Zones chosen for awkward rules, each with a few of its DST changes (UTC): instants are drawn
 * within ±36 h of one of the calendar's own changes half of the time, because that is where
 * bugs live.
 */
const transitionsByZone = {
  UTC: [],
  "Asia/Kolkata": [], // +05:30, no DST
  "Europe/Berlin": ["2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2024-03-31T01:00:00Z", "2028-10-29T01:00:00Z"],
  "America/New_York": ["2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z", "2019-11-03T06:00:00Z"],
  "Australia/Lord_Howe": ["2026-04-04T15:00:00Z", "2026-10-03T15:30:00Z"], // 30-minute DST
  "Pacific/Chatham": ["2026-04-04T14:00:00Z", "2026-09-26T14:00:00Z"], // +12:45 / +13:45
  "America/Santiago": ["2026-04-05T03:00:00Z", "2026-09-06T04:00:00Z"], // changes at midnight
  "America/Sao_Paulo": ["2018-02-18T02:00:00Z", "2018-11-04T03:00:00Z"], // at midnight, until 2019
  "America/Havana": ["2026-03-08T05:00:00Z", "2026-11-01T05:00:00Z"], // midnight itself repeats
} as const satisfies Record<string, readonly string[]>;
type Zone = keyof typeof transitionsByZone;
const zones = Object.keys(transitionsByZone) as Zone[];

const DAY = 86_400_000;
const rangeStart = Date.UTC(2016, 0, 1);
const rangeEnd = Date.UTC(2030, 0, 1);

/** An instant with random milliseconds, uniform over the range or close to one of the zone's DST changes. */
function instantArb(zone: Zone): fc.Arbitrary<number> {
  const uniform = fc.integer({ min: rangeStart, max: rangeEnd });
  const changes: readonly string[] = transitionsByZone[zone];
  if (changes.length === 0) return uniform;
  const near = fc
    .tuple(fc.constantFrom(...changes.map((iso) => Date.parse(iso))), fc.integer({ min: -36 * 3600_000, max: 36 * 3600_000 }))
    .map(([t, jitter]) => t + jitter);
  return fc.oneof(uniform, near);
}

function clock(quarter: number): string {
  const minutes = quarter * 15;
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** A quarter-hour, often in the small hours or late evening where DST changes happen. */
const quarterArb = fc.oneof(
  fc.integer({ min: 0, max: 96 }),
  fc.integer({ min: 0, max: 17 }),
  fc.integer({ min: 88, max: 96 }),
);

/** 0–3 non-overlapping intervals on a 15-minute grid; "24:00" possible as an end. */
const dayArb = fc
  .uniqueArray(quarterArb, { maxLength: 6 })
  .map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const out: [string, string][] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) out.push([clock(sorted[i]!), clock(sorted[i + 1]!)]);
    return out;
  });

const windowArb = fc
  .tuple(quarterArb, quarterArb)
  .filter(([a, b]) => a < b);

type CalendarSpec = {
  zone: Zone;
  is24x7: boolean;
  week: [string, string][][];
  holidays: { dayOffset: number; window: [number, number] | null }[];
  overrides: { dayOffset: number; intervals: [string, string][] }[];
};

const calendarSpecArb: fc.Arbitrary<CalendarSpec> = fc.record({
  zone: fc.constantFrom(...zones),
  is24x7: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  week: fc.array(dayArb, { minLength: 7, maxLength: 7 }),
  holidays: fc.array(fc.record({ dayOffset: fc.integer({ min: -3, max: 20 }), window: fc.option(windowArb) }), {
    maxLength: 6,
  }),
  overrides: fc.array(fc.record({ dayOffset: fc.integer({ min: -3, max: 20 }), intervals: dayArb }), {
    maxLength: 2,
  }),
});

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A calendar whose holidays and overrides fall in the days after `anchor`, so that they
 * actually matter for instants drawn near it. Weeks that came out empty get Monday 09–17.
 */
function buildCalendar(spec: CalendarSpec, anchor: number): Calendar {
  const keys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
  const week = Object.fromEntries(keys.map((key, i) => [key, spec.week[i] ?? []])) as Record<
    (typeof keys)[number],
    [string, string][]
  >;
  if (!spec.is24x7 && keys.every((key) => week[key].length === 0)) week.mon = [["09:00", "17:00"]];
  const seen = new Set<string>();
  return ZCalendar.parse({
    name: "random",
    timezone: spec.zone,
    is24x7: spec.is24x7,
    week,
    holidays: spec.holidays.map(({ dayOffset, window }) => ({
      date: isoDate(anchor + dayOffset * DAY),
      ...(window ? { from: clock(window[0]), to: clock(window[1]) } : {}),
    })),
    overrides: spec.overrides
      .map(({ dayOffset, intervals }) => ({ date: isoDate(anchor + dayOffset * DAY), intervals }))
      .filter(({ date }) => !seen.has(date) && seen.add(date)),
  });
}

const durationArb = fc.oneof(
  fc.integer({ min: 0, max: 8 * 3600 }),
  fc.integer({ min: 0, max: 3 * 86_400 }),
  fc.constantFrom(0, 1, 900, 3600),
);
const gapArb = fc.integer({ min: 0, max: 4 * DAY });
const sampleArb = calendarSpecArb.chain((spec) => fc.record({ spec: fc.constant(spec), start: instantArb(spec.zone) }));
const run = (seed: number, numRuns: number) => ({ seed, numRuns });

type Sample = { spec: CalendarSpec; start: number };
const calendarOf = ({ spec, start }: Sample): Calendar => buildCalendar(spec, start);

/**
 * Brute-force reference, independent of the engine's offset search: each working run of a
 * local day covers, from first to last, the 15-minute UTC slots whose wall time (as luxon
 * reports it) lies on that date inside the run. A run ending at 24:00 reaches the last instant
 * the clock reads the next day's 00:00, if any (the documented rule for a repeated midnight).
 * All zones above have offsets on a 15-minute grid, so slots are exact.
 */
function oracleSeconds(calendar: Calendar, a: number, b: number): number {
  const from = Math.floor(a / 1000) * 1000;
  const to = Math.floor(b / 1000) * 1000;
  if (to <= from) return 0;
  const zone = calendar.timezone;
  const localDay = (t: number) => {
    const d = DateTime.fromMillis(t, { zone });
    return Date.UTC(d.year, d.month - 1, d.day) / DAY;
  };
  const hulls: [number, number][] = [];
  for (let day = localDay(from) - 1; day <= localDay(to) + 1; day++) {
    const runs = oracleRuns(calendar, day);
    if (runs.length === 0) continue;
    const slots: { t: number; wallDay: number; minute: number }[] = [];
    for (let t = day * DAY - 15 * 3600_000; t < day * DAY + 39 * 3600_000; t += 900_000) {
      const wall = DateTime.fromMillis(t, { zone });
      slots.push({ t, wallDay: Date.UTC(wall.year, wall.month - 1, wall.day) / DAY, minute: wall.hour * 60 + wall.minute });
    }
    for (const [s, e] of runs) {
      let first = Infinity;
      let last = -Infinity;
      for (const { t, wallDay, minute } of slots) {
        if (wallDay === day && minute >= s && minute < e) {
          first = Math.min(first, t);
          last = Math.max(last, t + 900_000);
        }
        if (e === 1440 && wallDay === day + 1 && minute === 0) last = Math.max(last, t);
      }
      if (first < last) hulls.push([first, last]);
    }
  }
  hulls.sort((x, y) => x[0] - y[0]);
  let total = 0;
  let cursor = from;
  for (const [s, e] of hulls) {
    const cs = Math.max(s, cursor);
    const ce = Math.min(e, to);
    if (ce > cs) total += ce - cs;
    cursor = Math.max(cursor, e);
  }
  return total / 1000;
}

/** Maximal runs of working minutes on a local day, from the raw calendar fields. */
function oracleRuns(calendar: Calendar, day: number): [number, number][] {
  const date = new Date(day * DAY).toISOString().slice(0, 10);
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const slots = new Array<boolean>(96).fill(false);
  const mark = (s: number, e: number, value: boolean) => {
    for (let q = s / 15; q < e / 15; q++) slots[q] = value;
  };
  const override = calendar.overrides?.find((o) => o.date === date);
  if (override) {
    for (const [s, e] of override.intervals) mark(minutes(s), minutes(e), true);
  } else {
    const key = (["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const)[new Date(day * DAY).getUTCDay()]!;
    if (calendar.is24x7) mark(0, 1440, true);
    else for (const [s, e] of calendar.week[key]) mark(minutes(s), minutes(e), true);
    for (const h of calendar.holidays.filter((x) => x.date === date)) {
      mark(h.from ? minutes(h.from) : 0, h.to ? minutes(h.to) : 1440, false);
    }
  }
  const runs: [number, number][] = [];
  for (let q = 0; q < 96; q++) {
    if (!slots[q]) continue;
    const start = q;
    while (q < 96 && slots[q]) q++;
    runs.push([start * 15, q * 15]);
  }
  return runs;
}

describe("business time properties", () => {
  it("between(s, add(s, d)) == d, and the due instant is the earliest one", () => {
    fc.assert(
      fc.property(sampleArb, durationArb, (sample, d) => {
        const calendar = calendarOf(sample);
        const s = new Date(sample.start);
        const due = addBusinessTime(s, d, calendar);
        expect(businessSecondsBetween(s, due, calendar)).toBe(d);
        if (d > 0) expect(businessSecondsBetween(s, new Date(due.getTime() - 1000), calendar)).toBe(d - 1);
      }),
      run(20260301, 1000),
    );
  });

  it("is monotonic in the target and in the end", () => {
    fc.assert(
      fc.property(sampleArb, durationArb, durationArb, gapArb, gapArb, (sample, d1, d2, g1, g2) => {
        const calendar = calendarOf(sample);
        const s = new Date(sample.start);
        const [lo, hi] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(addBusinessTime(s, lo, calendar).getTime()).toBeLessThanOrEqual(addBusinessTime(s, hi, calendar).getTime());
        const b = new Date(sample.start + Math.min(g1, g2));
        const c = new Date(sample.start + Math.max(g1, g2));
        expect(businessSecondsBetween(s, b, calendar)).toBeLessThanOrEqual(businessSecondsBetween(s, c, calendar));
      }),
      run(20260302, 500),
    );
  });

  it("is additive: between(a, b) + between(b, c) == between(a, c)", () => {
    fc.assert(
      fc.property(sampleArb, gapArb, gapArb, (sample, g1, g2) => {
        const calendar = calendarOf(sample);
        const a = new Date(sample.start);
        const b = new Date(sample.start + g1);
        const c = new Date(sample.start + g1 + g2);
        const whole = businessSecondsBetween(a, c, calendar);
        expect(businessSecondsBetween(a, b, calendar) + businessSecondsBetween(b, c, calendar)).toBe(whole);
        expect(whole).toBeLessThanOrEqual(Math.floor((c.getTime() - Math.floor(a.getTime() / 1000) * 1000) / 1000) + 1);
      }),
      run(20260303, 1000),
    );
  });

  it("never counts more with pauses, subtracts a single pause exactly, and gives 0 under a full pause", () => {
    const pauseArb = fc.tuple(gapArb, fc.integer({ min: 0, max: 2 * DAY }));
    fc.assert(
      fc.property(sampleArb, gapArb, fc.array(pauseArb, { maxLength: 4 }), (sample, length, raw) => {
        const calendar = calendarOf(sample);
        const a = new Date(sample.start);
        const b = new Date(sample.start + length);
        const pauses = raw.map(([offset, span]) => ({
          from: new Date(sample.start - DAY + offset),
          to: new Date(sample.start - DAY + offset + span),
        }));
        const plain = businessSecondsBetween(a, b, calendar);
        expect(businessSecondsBetweenWithPauses(a, b, pauses, calendar)).toBeLessThanOrEqual(plain);
        expect(businessSecondsBetweenWithPauses(a, b, [], calendar)).toBe(plain);
        const whole = { from: new Date(a.getTime() - 3600_000), to: new Date(b.getTime() + 1000) };
        expect(businessSecondsBetweenWithPauses(a, b, [...pauses, whole], calendar)).toBe(0);
        const inner = { from: new Date(sample.start + length / 3), to: new Date(sample.start + (2 * length) / 3) };
        expect(businessSecondsBetweenWithPauses(a, b, [inner, inner], calendar)).toBe(
          plain - businessSecondsBetween(inner.from, inner.to, calendar),
        );
      }),
      run(20260304, 500),
    );
  });

  it("agrees with a brute-force wall-clock reference", () => {
    fc.assert(
      fc.property(sampleArb, fc.integer({ min: 0, max: 2 * DAY }), (sample, length) => {
        const calendar = calendarOf(sample);
        const a = sample.start;
        expect(businessSecondsBetween(new Date(a), new Date(a + length), calendar)).toBe(
          oracleSeconds(calendar, a, a + length),
        );
      }),
      run(20260305, 300),
    );
  });

  it("explains a range as contiguous segments whose running time is the paused total", () => {
    fc.assert(
      fc.property(sampleArb, gapArb, fc.array(fc.tuple(gapArb, gapArb), { maxLength: 3 }), (sample, length, raw) => {
        const calendar = calendarOf(sample);
        const a = new Date(sample.start);
        const b = new Date(sample.start + length);
        const pauses = raw.map(([offset, span]) => ({
          from: new Date(sample.start + offset - DAY),
          to: new Date(sample.start + offset - DAY + span / 2),
        }));
        const segments = explainTimeline(a, b, pauses, calendar);
        const floorA = Math.floor(a.getTime() / 1000) * 1000;
        const floorB = Math.floor(b.getTime() / 1000) * 1000;
        if (floorB <= floorA) {
          expect(segments).toEqual([]);
          return;
        }
        expect(segments[0]!.from.getTime()).toBe(floorA);
        expect(segments.at(-1)!.to.getTime()).toBe(floorB);
        segments.forEach((segment, i) => {
          expect(segment.seconds).toBe((segment.to.getTime() - segment.from.getTime()) / 1000);
          if (i > 0) expect(segment.from.getTime()).toBe(segments[i - 1]!.to.getTime());
        });
        const running = segments.filter((x) => x.kind === "running").reduce((sum, x) => sum + x.seconds, 0);
        expect(running).toBe(businessSecondsBetweenWithPauses(a, b, pauses, calendar));
        const pausedWork = segments.reduce((sum, x) => sum + (x.businessSeconds ?? 0), 0);
        expect(running + pausedWork).toBe(businessSecondsBetween(a, b, calendar));
      }),
      run(20260306, 300),
    );
  });

  it("validates every generated calendar (the generators stay honest)", () => {
    fc.assert(
      fc.property(sampleArb, (sample) => {
        expect(ZCalendar.safeParse(calendarOf(sample)).success).toBe(true);
      }),
      run(20260307, 200),
    );
  });
});
