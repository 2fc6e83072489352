import Holidays from "date-holidays";
import ical from "node-ical";
import { DateTime } from "luxon";
import type { Holiday } from "./calendar.js";

/**
 * Public holidays of a country (and optional region) for the given years, as full-day calendar
 * holidays. Observances (Valentine's Day and the like) are left out: offices stay open on them.
 * Returns null for an unknown country or region.
 */
export function holidaysForCountry(country: string, region: string | undefined, years: readonly number[]): Holiday[] | null {
  const hd = new Holidays();
  const code = country.toUpperCase();
  if (!(code in hd.getCountries())) return null;
  if (region && !(region.toUpperCase() in (hd.getStates(code) ?? {}))) return null;
  hd.init(code, ...(region ? [region.toUpperCase()] : []));
  const seen = new Map<string, Holiday>();
  for (const year of years) {
    for (const h of hd.getHolidays(year) ?? []) {
      if (h.type !== "public" && h.type !== "bank") continue;
      // A holiday can span days (start/end are instants in the country's zone); list each date.
      let day = DateTime.fromISO(h.date.slice(0, 10));
      const last = DateTime.fromISO(h.date.slice(0, 10)).plus({ milliseconds: Math.max(0, h.end.getTime() - h.start.getTime() - 1) });
      while (day <= last) {
        const date = day.toISODate()!;
        if (!seen.has(date)) seen.set(date, { date, name: h.name });
        day = day.plus({ days: 1 });
      }
    }
  }
  return [...seen.values()].sort((a, b) => a.date.localeCompare(b.date));
}

type IcsEvent = { type: string; start?: Date & { dateOnly?: boolean }; end?: Date; summary?: unknown; datetype?: string };

const text = (v: unknown) => (typeof v === "string" ? v : typeof v === "object" && v && "val" in v ? String((v as { val: unknown }).val) : undefined);

/**
 * Holidays from an iCalendar file: all-day events close whole dates; timed events close their
 * hours, split per local day in the calendar's `timezone`. Recurring events are not expanded:
 * holiday feeds publish each occurrence.
 */
export function holidaysFromIcs(ics: string, timezone: string): Holiday[] {
  const parsed = ical.sync.parseICS(ics) as Record<string, IcsEvent>;
  const out: Holiday[] = [];
  for (const event of Object.values(parsed)) {
    if (event.type !== "VEVENT" || !event.start) continue;
    const name = text(event.summary)?.slice(0, 200);
    const isAllDay = event.datetype === "date" || event.start.dateOnly === true;
    if (isAllDay) {
      let day = DateTime.fromJSDate(event.start, { zone: "UTC" }).startOf("day");
      const end = event.end ? DateTime.fromJSDate(event.end, { zone: "UTC" }) : day.plus({ days: 1 });
      do {
        out.push({ date: day.toISODate()!, ...(name ? { name } : {}) });
        day = day.plus({ days: 1 });
      } while (day < end && out.length < 10_000);
      continue;
    }
    let from = DateTime.fromJSDate(event.start, { zone: timezone });
    const until = DateTime.fromJSDate(event.end ?? event.start, { zone: timezone });
    while (from < until && out.length < 10_000) {
      const dayEnd = from.startOf("day").plus({ days: 1 });
      const to = until < dayEnd ? until : dayEnd;
      out.push({ date: from.toISODate()!, from: from.toFormat("HH:mm"), to: to.equals(dayEnd) ? "24:00" : to.toFormat("HH:mm"), ...(name ? { name } : {}) });
      from = dayEnd;
    }
  }
  return out.filter((h) => h.from === undefined || h.from !== h.to).sort((a, b) => a.date.localeCompare(b.date));
}
