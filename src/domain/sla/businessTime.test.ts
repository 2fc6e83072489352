import { describe, expect, it } from "vitest";
import {
  addBusinessTime,
  businessSecondsBetween,
  businessSecondsBetweenWithPauses,
} from "./businessTime.js";
import { calendar24x7, defaultBusinessCalendar, ZCalendar, type Calendar, type CalendarInput } from "./calendar.js";

const H = 3600;
const at = (iso: string) => new Date(iso);
const add = (iso: string, seconds: number, calendar: Calendar) =>
  addBusinessTime(at(iso), seconds, calendar).toISOString();
const between = (a: string, b: string, calendar: Calendar) => businessSecondsBetween(at(a), at(b), calendar);

function everyDay(intervals: [string, string][], timezone: string, extra: Partial<CalendarInput> = {}): Calendar {
  const week = { mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals, sat: intervals, sun: intervals };
  return ZCalendar.parse({ name: "test", timezone, week, ...extra });
}

const utc = defaultBusinessCalendar("UTC");

describe("Mon–Fri 09:00–17:00 UTC", () => {
  // 2026-01-02 is a Friday, 2026-01-05 a Monday.
  it("carries a target over the weekend", () => {
    expect(add("2026-01-02T16:00:00Z", 2 * H, utc)).toBe("2026-01-05T10:00:00.000Z");
    expect(between("2026-01-02T16:00:00Z", "2026-01-05T10:00:00Z", utc)).toBe(2 * H);
  });

  it("starts counting at the next opening for a ticket created on Saturday", () => {
    expect(add("2026-01-03T11:22:33Z", 1, utc)).toBe("2026-01-05T09:00:01.000Z");
    expect(add("2026-01-03T11:00:00Z", H, utc)).toBe("2026-01-05T10:00:00.000Z");
    expect(between("2026-01-03T11:00:00Z", "2026-01-05T09:00:00Z", utc)).toBe(0);
  });

  it("is due at the closing instant when the target runs out exactly then", () => {
    expect(add("2026-01-05T09:00:00Z", 8 * H, utc)).toBe("2026-01-05T17:00:00.000Z");
    expect(add("2026-01-05T09:00:00Z", 8 * H + 1, utc)).toBe("2026-01-06T09:00:01.000Z");
    expect(add("2026-01-05T17:00:00Z", 1, utc)).toBe("2026-01-06T09:00:01.000Z");
  });

  it("returns the start unchanged for a zero target, even outside hours", () => {
    expect(add("2026-01-03T11:00:00.250Z", 0, utc)).toBe("2026-01-03T11:00:00.250Z");
  });

  it("works at one-second resolution, flooring inputs", () => {
    expect(between("2026-01-05T09:00:00.900Z", "2026-01-05T09:00:02.100Z", utc)).toBe(2);
    expect(add("2026-01-05T10:00:00.999Z", 1, utc)).toBe("2026-01-05T10:00:01.000Z");
    expect(between("2026-01-05T12:00:00Z", "2026-01-05T11:00:00Z", utc)).toBe(0);
  });

  it("counts a full week as 40 hours", () => {
    expect(between("2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z", utc)).toBe(40 * H);
  });

  it("refuses negative, fractional and absurd targets", () => {
    expect(() => addBusinessTime(at("2026-01-05T09:00:00Z"), -1, utc)).toThrow(RangeError);
    expect(() => addBusinessTime(at("2026-01-05T09:00:00Z"), 1.5, utc)).toThrow(RangeError);
    expect(() => addBusinessTime(at("2026-01-05T09:00:00Z"), 11 * 366 * 86400, utc)).toThrow(/10 years/);
    expect(() => addBusinessTime(new Date(Number.NaN), 1, utc)).toThrow(RangeError);
  });
});

describe("split shifts 08:00–12:00 and 13:00–17:00", () => {
  const split = ZCalendar.parse({
    name: "split",
    timezone: "UTC",
    week: { mon: [["08:00", "12:00"], ["13:00", "17:00"]], tue: [["13:00", "17:00"], ["08:00", "12:00"]] },
  });
  it("skips the lunch break", () => {
    expect(add("2026-01-05T11:00:00Z", 2 * H, split)).toBe("2026-01-05T14:00:00.000Z");
    expect(add("2026-01-05T08:00:00Z", 4 * H, split)).toBe("2026-01-05T12:00:00.000Z");
    expect(add("2026-01-05T12:30:00Z", 30 * 60, split)).toBe("2026-01-05T13:30:00.000Z");
    expect(between("2026-01-05T11:30:00Z", "2026-01-05T13:30:00Z", split)).toBe(H);
  });
  it("reads intervals listed out of order", () => {
    expect(add("2026-01-05T16:00:00Z", 2 * H, split)).toBe("2026-01-06T09:00:00.000Z");
  });
});

describe("holidays", () => {
  const christmas = ZCalendar.parse({
    name: "xmas",
    timezone: "UTC",
    week: defaultBusinessCalendar().week,
    // 2026-12-24 is a Thursday, 25 a Friday, 26 a Saturday.
    holidays: [
      { date: "2026-12-24", from: "12:00", to: "24:00", name: "Christmas Eve" },
      { date: "2026-12-25", name: "Christmas" },
      { date: "2026-12-26", name: "Boxing Day" },
    ],
  });

  it("skips a full weekday holiday and a partial one", () => {
    expect(add("2026-12-24T11:00:00Z", 2 * H, christmas)).toBe("2026-12-28T10:00:00.000Z");
    expect(add("2026-12-24T11:00:00Z", H, christmas)).toBe("2026-12-24T12:00:00.000Z");
    expect(between("2026-12-24T00:00:00Z", "2026-12-29T00:00:00Z", christmas)).toBe(3 * H + 8 * H);
  });

  it("ignores a holiday that falls on a closed Saturday", () => {
    const saturdayOnly = ZCalendar.parse({ ...utc, holidays: [{ date: "2026-12-19" }] });
    expect(add("2026-12-18T16:00:00Z", 2 * H, saturdayOnly)).toBe("2026-12-21T10:00:00.000Z");
  });

  it("closes a working Saturday", () => {
    const saturdays = ZCalendar.parse({ ...christmas, week: { ...christmas.week, sat: [["10:00", "14:00"]] } });
    expect(between("2026-12-19T00:00:00Z", "2026-12-20T00:00:00Z", saturdays)).toBe(4 * H);
    expect(between("2026-12-26T00:00:00Z", "2026-12-27T00:00:00Z", saturdays)).toBe(0);
  });

  it("lets a dated override replace both the weekday and a holiday", () => {
    const withOverride = ZCalendar.parse({
      ...christmas,
      overrides: [
        { date: "2026-12-25", intervals: [["10:00", "12:00"]] },
        { date: "2026-12-23", intervals: [] },
      ],
    });
    expect(between("2026-12-25T00:00:00Z", "2026-12-26T00:00:00Z", withOverride)).toBe(2 * H);
    expect(between("2026-12-23T00:00:00Z", "2026-12-24T00:00:00Z", withOverride)).toBe(0);
  });
});

describe("an interval ending at 24:00", () => {
  const nights = ZCalendar.parse({
    name: "nights",
    timezone: "UTC",
    week: { fri: [["18:00", "24:00"]], sat: [["00:00", "02:00"]] },
  });
  it("runs on into the next day's shift without a gap", () => {
    expect(add("2026-01-02T23:00:00Z", 2 * H, nights)).toBe("2026-01-03T01:00:00.000Z");
    expect(add("2026-01-02T18:00:00Z", 6 * H, nights)).toBe("2026-01-03T00:00:00.000Z");
    expect(between("2026-01-02T00:00:00Z", "2026-01-04T00:00:00Z", nights)).toBe(8 * H);
  });
});

describe("DST in Europe/Berlin (2026-03-29 02:00→03:00, 2026-10-25 03:00→02:00)", () => {
  const always = calendar24x7("Europe/Berlin");
  const earlyHours = everyDay([["00:00", "06:00"]], "Europe/Berlin");
  const office = everyDay([["09:00", "17:00"]], "Europe/Berlin");

  it("counts 23 and 25 hours on a 24/7 calendar", () => {
    expect(between("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", always)).toBe(23 * H);
    expect(between("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", always)).toBe(25 * H);
    expect(add("2026-10-24T22:00:00Z", 25 * H, always)).toBe("2026-10-25T23:00:00.000Z");
  });

  it("gives an interval spanning the jump its real length (5 h and 7 h)", () => {
    expect(between("2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z", earlyHours)).toBe(5 * H);
    expect(add("2026-03-28T23:00:00Z", 5 * H, earlyHours)).toBe("2026-03-29T04:00:00.000Z");
    // 2.5 real hours after 00:00 CET the wall clock shows 03:30 CEST.
    expect(add("2026-03-28T23:00:00Z", 2.5 * H, earlyHours)).toBe("2026-03-29T01:30:00.000Z");
    expect(between("2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", earlyHours)).toBe(7 * H);
    expect(add("2026-10-24T22:00:00Z", 7 * H, earlyHours)).toBe("2026-10-25T05:00:00.000Z");
  });

  it("leaves an office day untouched when the jump is outside it, but shifts it in UTC", () => {
    expect(between("2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z", office)).toBe(8 * H);
    expect(add("2026-03-28T08:00:00Z", 8 * H, office)).toBe("2026-03-28T16:00:00.000Z"); // CET
    expect(add("2026-03-29T07:00:00Z", 8 * H, office)).toBe("2026-03-29T15:00:00.000Z"); // CEST
  });

  it("maps a missing start forward and an ambiguous start to its first occurrence", () => {
    const gap = everyDay([["02:30", "04:00"]], "Europe/Berlin");
    // 02:30 does not exist on 29 March: counting starts at 03:00 CEST (01:00Z) until 04:00 CEST.
    expect(between("2026-03-29T00:00:00Z", "2026-03-29T12:00:00Z", gap)).toBe(H);
    // 02:30 happens twice on 25 October: from the first (00:30Z) to 04:00 CET (03:00Z).
    expect(between("2026-10-25T00:00:00Z", "2026-10-25T12:00:00Z", gap)).toBe(2.5 * H);
    expect(add("2026-10-25T00:00:00Z", 1, gap)).toBe("2026-10-25T00:30:01.000Z");
  });
});

describe("DST in America/New_York (2026-03-08, 2026-11-01)", () => {
  const always = calendar24x7("America/New_York");
  const earlyHours = everyDay([["00:00", "06:00"]], "America/New_York");

  it("counts 23 and 25 hours on a 24/7 calendar", () => {
    expect(between("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", always)).toBe(23 * H);
    expect(between("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", always)).toBe(25 * H);
  });

  it("gives an interval spanning the jump its real length", () => {
    expect(between("2026-03-08T00:00:00Z", "2026-03-08T20:00:00Z", earlyHours)).toBe(5 * H);
    expect(add("2026-03-08T05:00:00Z", 5 * H, earlyHours)).toBe("2026-03-08T10:00:00.000Z");
    expect(between("2026-11-01T00:00:00Z", "2026-11-01T20:00:00Z", earlyHours)).toBe(7 * H);
    expect(add("2026-11-01T04:00:00Z", 7 * H, earlyHours)).toBe("2026-11-01T11:00:00.000Z");
  });

  it("treats an ambiguous end as its last occurrence", () => {
    const repeated = everyDay([["00:00", "01:30"]], "America/New_York");
    // 00:00 EDT (04:00Z) until the second 01:30, which is EST (06:30Z).
    expect(between("2026-11-01T00:00:00Z", "2026-11-01T12:00:00Z", repeated)).toBe(2.5 * H);
  });
});

describe("other zones", () => {
  it("handles Lord Howe's half-hour DST (23.5 h and 24.5 h days)", () => {
    const always = calendar24x7("Australia/Lord_Howe");
    // Local midnights: 2026-04-05 at +11:00, 2026-04-06 at +10:30.
    expect(between("2026-04-04T13:00:00Z", "2026-04-05T13:30:00Z", always)).toBe(24.5 * H);
    // 2026-10-04 at +10:30, 2026-10-05 at +11:00.
    expect(between("2026-10-03T13:30:00Z", "2026-10-04T13:00:00Z", always)).toBe(23.5 * H);
  });

  it("ends a 24:00 shift at the later midnight where midnight repeats (Havana, 2026-11-01)", () => {
    // Cuba falls back 01:00 CDT → 00:00 CST, so Sunday 00:00 happens at 04:00Z and 05:00Z.
    const havana = ZCalendar.parse({ name: "h", timezone: "America/Havana", week: { sat: [["18:00", "24:00"]] } });
    expect(between("2026-10-31T12:00:00Z", "2026-11-01T12:00:00Z", havana)).toBe(7 * H);
    // A start after the first midnight is still inside Saturday's shift.
    expect(between("2026-11-01T04:30:00Z", "2026-11-01T12:00:00Z", havana)).toBe(H / 2);
    // In March midnight does not exist (00:00 → 01:00): the shift ends when the gap begins.
    expect(between("2026-03-07T12:00:00Z", "2026-03-08T12:00:00Z", havana)).toBe(6 * H);
  });

  it("handles Kolkata's half-hour offset", () => {
    const kolkata = defaultBusinessCalendar("Asia/Kolkata");
    expect(add("2026-01-05T03:30:00Z", 8 * H, kolkata)).toBe("2026-01-05T11:30:00.000Z");
  });
});

describe("pauses", () => {
  const christmas = ZCalendar.parse({ ...utc, holidays: [{ date: "2026-12-25" }] });
  it("excludes a pause spanning a night and a holiday, counting overlaps once", () => {
    const start = at("2026-12-24T10:00:00Z");
    const end = at("2026-12-28T12:00:00Z");
    expect(businessSecondsBetween(start, end, christmas)).toBe(10 * H);
    const pauses = [
      { from: at("2026-12-24T15:00:00Z"), to: at("2026-12-28T10:00:00Z") },
      { from: at("2026-12-24T16:00:00Z"), to: at("2026-12-24T16:30:00Z") },
    ];
    expect(businessSecondsBetweenWithPauses(start, end, pauses, christmas)).toBe(7 * H);
  });
  it("ignores pauses outside the range and refuses reversed ones", () => {
    const start = at("2026-01-05T09:00:00Z");
    const end = at("2026-01-05T17:00:00Z");
    const before = { from: at("2026-01-01T00:00:00Z"), to: at("2026-01-02T00:00:00Z") };
    expect(businessSecondsBetweenWithPauses(start, end, [before], utc)).toBe(8 * H);
    const reversed = { from: at("2026-01-05T12:00:00Z"), to: at("2026-01-05T11:00:00Z") };
    expect(() => businessSecondsBetweenWithPauses(start, end, [reversed], utc)).toThrow(RangeError);
  });
});

describe("the ten-year guard", () => {
  // One working minute a week: about 522 minutes in ten years.
  const sparse = ZCalendar.parse({ name: "sparse", timezone: "Pacific/Chatham", week: { mon: [["00:00", "00:01"]] } });
  it("answers within the window and refuses beyond it, quickly", () => {
    const started = performance.now();
    expect(add("2026-01-01T00:00:00Z", 500 * 60, sparse)).toMatch(/^2035-/);
    expect(() => addBusinessTime(at("2026-01-01T00:00:00Z"), 600 * 60, sparse)).toThrow(/more than 10 years/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
  it("walks ten years of a busy calendar well under a second", () => {
    const started = performance.now();
    const nineAndAHalfYears = 9.5 * 52 * 40 * H;
    const due = addBusinessTime(at("2026-01-01T00:00:00Z"), nineAndAHalfYears, defaultBusinessCalendar("America/New_York"));
    expect(due.getUTCFullYear()).toBe(2035);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
