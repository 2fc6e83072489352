import { describe, expect, it } from "vitest";
import { ZHoliday } from "./calendar.js";
import { holidaysForCountry, holidaysFromIcs } from "./holidaySources.js";

describe("holiday sources", () => {
  it("generates a country's and region's public holidays, without observances", () => {
    const bavaria = holidaysForCountry("DE", "BY", [2026])!;
    const dates = bavaria.map((h) => h.date);
    expect(dates).toContain("2026-01-01");
    expect(dates).toContain("2026-01-06"); // Epiphany is public in Bavaria only
    expect(dates).toContain("2026-12-25");
    expect(dates).not.toContain("2026-02-14");
    expect(holidaysForCountry("DE", undefined, [2026])!.map((h) => h.date)).not.toContain("2026-01-06");
    for (const h of bavaria) expect(ZHoliday.safeParse(h).success).toBe(true);
  });

  it("answers null for an unknown country", () => {
    expect(holidaysForCountry("XX", undefined, [2026])).toBeNull();
  });

  it("imports all-day and timed iCal events as full and partial holidays in the calendar's zone", () => {
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "BEGIN:VEVENT",
      "UID:a",
      "DTSTART;VALUE=DATE:20261225",
      "DTEND;VALUE=DATE:20261227",
      "SUMMARY:Christmas",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:b",
      "DTSTART:20261224T110000Z",
      "DTEND:20261224T230000Z",
      "SUMMARY:Christmas Eve afternoon",
      "END:VEVENT",
      "END:VCALENDAR",
    ].join("\r\n");
    const holidays = holidaysFromIcs(ics, "Europe/Berlin");
    expect(holidays).toEqual([
      { date: "2026-12-24", from: "12:00", to: "24:00", name: "Christmas Eve afternoon" },
      { date: "2026-12-25", name: "Christmas" },
      { date: "2026-12-26", name: "Christmas" },
    ]);
  });
});
