import { describe, expect, it } from "vitest";
import { calendar24x7, defaultBusinessCalendar, ZCalendar, type CalendarInput } from "./calendar.js";

const base: CalendarInput = {
  name: "Support",
  timezone: "Europe/Berlin",
  week: { mon: [["09:00", "17:00"]] },
  holidays: [],
};

/** Paths of every issue, dotted as an API would report them. */
function issuePaths(input: unknown): string[] {
  const result = ZCalendar.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => issue.path.join("."));
}

function withWeek(week: CalendarInput["week"]): CalendarInput {
  return { ...base, week };
}

describe("calendar schema", () => {
  it("accepts the documented shape and fills in missing days, holidays and flags", () => {
    const calendar = ZCalendar.parse({
      name: "Support",
      timezone: "America/New_York",
      week: { mon: [["08:00", "12:00"], ["13:00", "17:00"]], fri: [["22:00", "24:00"]] },
      holidays: [{ date: "2026-12-25", name: "Christmas" }, { date: "2026-12-24", from: "12:00", to: "24:00" }],
      overrides: [{ date: "2026-12-26", intervals: [["10:00", "14:00"]] }],
    });
    expect(calendar.week.sun).toEqual([]);
    expect(calendar.week.mon).toHaveLength(2);
    expect(ZCalendar.parse({ name: "x", timezone: "UTC", week: { mon: [["09:00", "17:00"]] } }).holidays).toEqual([]);
  });

  it("builds valid 24/7 and Mon–Fri defaults", () => {
    expect(ZCalendar.safeParse(calendar24x7("Asia/Kolkata")).success).toBe(true);
    const business = defaultBusinessCalendar("Europe/Berlin");
    expect(business.week.fri).toEqual([["09:00", "17:00"]]);
    expect(business.week.sat).toEqual([]);
    expect(calendar24x7().timezone).toBe("UTC");
    expect(() => defaultBusinessCalendar("Mars/Olympus")).toThrow();
  });

  it("rejects an unknown IANA zone", () => {
    expect(issuePaths({ ...base, timezone: "Europe/Atlantis" })).toEqual(["timezone"]);
    expect(issuePaths({ ...base, timezone: "GMT+25" })).toEqual(["timezone"]);
  });

  it("rejects malformed times at the exact position", () => {
    expect(issuePaths(withWeek({ mon: [["9:00", "17:00"]] }))).toEqual(["week.mon.0.0"]);
    expect(issuePaths(withWeek({ tue: [["09:00", "17:60"]] }))).toEqual(["week.tue.0.1"]);
    expect(issuePaths(withWeek({ wed: [["09:00", "5pm"]] }))).toEqual(["week.wed.0.1"]);
  });

  it("rejects a time past 24:00", () => {
    expect(issuePaths(withWeek({ mon: [["20:00", "24:30"]] }))).toEqual(["week.mon.0.1"]);
    expect(issuePaths(withWeek({ mon: [["25:00", "26:00"]] }))).toEqual(["week.mon.0.0", "week.mon.0.1"]);
  });

  it("allows 24:00 only as an end", () => {
    expect(issuePaths(withWeek({ mon: [["18:00", "24:00"]] }))).toEqual([]);
    expect(issuePaths(withWeek({ mon: [["09:00", "17:00"], ["24:00", "24:00"]] }))).toEqual(["week.mon.1.0"]);
  });

  it("rejects reversed and empty intervals, naming the interval", () => {
    expect(issuePaths(withWeek({ mon: [["09:00", "17:00"], ["13:00", "12:00"]] }))).toEqual(["week.mon.1"]);
    expect(issuePaths(withWeek({ fri: [["09:00", "09:00"]] }))).toEqual(["week.fri.0"]);
  });

  it("rejects overlapping intervals within a day but allows touching ones", () => {
    expect(issuePaths(withWeek({ mon: [["08:00", "12:00"], ["11:00", "17:00"]] }))).toEqual(["week.mon.1"]);
    // Reported on whichever starts later, even when listed first.
    expect(issuePaths(withWeek({ mon: [["11:00", "17:00"], ["08:00", "12:00"]] }))).toEqual(["week.mon.0"]);
    expect(issuePaths(withWeek({ mon: [["08:00", "12:00"], ["12:00", "17:00"]] }))).toEqual([]);
  });

  it("rejects a holiday on a date that does not exist", () => {
    expect(issuePaths({ ...base, holidays: [{ date: "2026-02-30" }] })).toEqual(["holidays.0.date"]);
    expect(issuePaths({ ...base, holidays: [{ date: "2026-12-25" }, { date: "2026-13-01" }] })).toEqual([
      "holidays.1.date",
    ]);
    expect(issuePaths({ ...base, holidays: [{ date: "25.12.2026" }] })).toEqual(["holidays.0.date"]);
    expect(issuePaths({ ...base, holidays: [{ date: "2028-02-29" }] })).toEqual([]);
  });

  it("rejects a partial holiday whose window is empty, reversed or half-given", () => {
    expect(issuePaths({ ...base, holidays: [{ date: "2026-12-24", from: "14:00", to: "12:00" }] })).toEqual([
      "holidays.0.to",
    ]);
    expect(issuePaths({ ...base, holidays: [{ date: "2026-12-24", from: "12:00", to: "12:00" }] })).toEqual([
      "holidays.0.to",
    ]);
    expect(issuePaths({ ...base, holidays: [{ date: "2026-12-24", from: "12:00" }] })).toEqual(["holidays.0.to"]);
    expect(issuePaths({ ...base, holidays: [{ date: "2026-12-24", from: "24:00", to: "24:00" }] })).toEqual([
      "holidays.0.from",
    ]);
    expect(issuePaths({ ...base, holidays: [{ date: "2026-12-24", from: "12:00", to: "24:00" }] })).toEqual([]);
  });

  it("rejects unknown keys instead of silently dropping them (a typo must not widen a holiday)", () => {
    expect(issuePaths({ ...base, holidays: [{ date: "2026-12-24", form: "12:00", to: "24:00" }] })).toContain(
      "holidays.0",
    );
  });

  it("rejects a week with no working time unless the calendar is 24/7", () => {
    expect(issuePaths({ ...base, week: {} })).toEqual(["week"]);
    expect(issuePaths({ name: "x", timezone: "UTC" })).toEqual(["week"]);
    expect(issuePaths({ name: "x", timezone: "UTC", is24x7: true })).toEqual([]);
  });

  it("validates overrides like a day and refuses two for one date", () => {
    expect(issuePaths({ ...base, overrides: [{ date: "2026-12-26", intervals: [] }] })).toEqual([]);
    expect(issuePaths({ ...base, overrides: [{ date: "2026-12-26", intervals: [["14:00", "10:00"]] }] })).toEqual([
      "overrides.0.intervals.0",
    ]);
    expect(
      issuePaths({
        ...base,
        overrides: [
          { date: "2026-12-26", intervals: [] },
          { date: "2026-12-26", intervals: [["10:00", "12:00"]] },
        ],
      }),
    ).toEqual(["overrides.1.date"]);
    expect(issuePaths({ ...base, overrides: [{ date: "2026-04-31", intervals: [] }] })).toEqual(["overrides.0.date"]);
  });

  it("rejects a missing name", () => {
    expect(issuePaths({ ...base, name: "  " })).toEqual(["name"]);
  });
});
