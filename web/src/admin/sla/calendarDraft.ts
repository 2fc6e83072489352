import type { CalendarDefinition, CalendarInput, Holiday } from "../../api/admin/types.ts";

export const weekDays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type DayKey = (typeof weekDays)[number];
export const dayLabels: Record<DayKey, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

export type IntervalDraft = [start: string, end: string];

export type CalendarDraft = {
  name: string;
  timezone: string;
  is24x7: boolean;
  isDefault: boolean;
  week: Record<DayKey, IntervalDraft[]>;
  holidays: Holiday[];
};

const nineToFive = (): IntervalDraft[] => [["09:00", "17:00"]];

export function calendarDraftFrom(def: CalendarDefinition | null, isDefault: boolean): CalendarDraft {
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return {
    name: def?.name ?? "",
    timezone: def?.timezone ?? browserZone,
    is24x7: def?.is24x7 ?? false,
    isDefault,
    week: def
      ? (Object.fromEntries(weekDays.map((d) => [d, def.week[d].map(([a, b]) => [a, b] as IntervalDraft)])) as Record<DayKey, IntervalDraft[]>)
      : { mon: nineToFive(), tue: nineToFive(), wed: nineToFive(), thu: nineToFive(), fri: nineToFive(), sat: [], sun: [] },
    holidays: def?.holidays ?? [],
  };
}

const clock = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Format slips only; overlaps and the rest are the server's to name. */
export function validateCalendarDraft(d: CalendarDraft): Record<string, string | undefined> {
  const errors: Record<string, string | undefined> = {};
  if (!d.name.trim()) errors.name = "Give the calendar a name.";
  if (!d.timezone.trim()) errors.timezone = "Choose a time zone, for example Europe/Berlin.";
  for (const day of weekDays) {
    d.week[day].forEach(([start, end], i) => {
      if (!clock.test(start) || !clock.test(end)) errors[`week.${day}.${i}`] = "Times are HH:MM, for example 09:00 (24:00 for midnight at the end).";
      else if (start >= end) errors[`week.${day}.${i}`] = `${start}–${end} ends before it starts.`;
    });
  }
  d.holidays.forEach((h, i) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h.date)) errors[`holidays.${i}.date`] = "Choose a date.";
  });
  return errors;
}

/** The calendar as the form stands; dated overrides this form does not show are kept from `base`. */
export function calendarInputFrom(d: CalendarDraft, base: CalendarDefinition | null): CalendarInput {
  return {
    name: d.name.trim(),
    timezone: d.timezone.trim(),
    is24x7: d.is24x7,
    week: d.week,
    holidays: d.holidays.map((h) => ({ date: h.date, ...(h.name ? { name: h.name } : {}), ...(h.from && h.to ? { from: h.from, to: h.to } : {}) })),
    ...(base?.overrides ? { overrides: base.overrides } : {}),
  };
}

/** Adds imported holidays, skipping dates already listed; answers how many were new. */
export function mergeHolidays(current: Holiday[], imported: Holiday[]): { holidays: Holiday[]; added: number } {
  const seen = new Set(current.map((h) => `${h.date}|${h.from ?? ""}`));
  const fresh = imported.filter((h) => !seen.has(`${h.date}|${h.from ?? ""}`));
  const holidays = [...current, ...fresh].sort((a, b) => a.date.localeCompare(b.date));
  return { holidays, added: fresh.length };
}
