import { api, queryString } from "../client.ts";
import type { ApplyMode, CalendarInput, CalendarRow, Holiday, PolicyInput, PolicyRow } from "./types.ts";

export const listCalendars = (signal?: AbortSignal) => api<{ items: CalendarRow[] }>("/sla/calendars", { signal }).then((r) => r.items);
export const listPolicies = (signal?: AbortSignal) => api<{ items: PolicyRow[] }>("/sla/policies", { signal }).then((r) => r.items);

export type CalendarSave = CalendarInput & { isDefault?: boolean };

export const createCalendar = (input: CalendarSave) => api<CalendarRow>("/sla/calendars", { json: input });

/** Policies on this calendar get a new version; `apply` says whether open tickets move to it. */
export const replaceCalendar = (calendarId: string, input: CalendarSave, apply: ApplyMode) =>
  api<CalendarRow>(`/sla/calendars/${encodeURIComponent(calendarId)}${queryString({ apply })}`, { method: "PUT", json: input });

export const createPolicy = (definition: PolicyInput) => api<PolicyRow>("/sla/policies", { json: definition });

/** Saves a new version; with `rebaseline_open` open tickets keep the business time they used. */
export const savePolicyVersion = (policyId: string, definition: PolicyInput, apply: ApplyMode) =>
  api<PolicyRow & { rebaselined: number }>(`/sla/policies/${encodeURIComponent(policyId)}${queryString({ apply })}`, { method: "PUT", json: definition });

export const countryHolidays = (country: string, years: number[], region?: string) =>
  api<{ holidays: Holiday[] }>("/sla/holidays", { json: { source: "country", country, years, ...(region ? { region } : {}) } }).then((r) => r.holidays);

/** When a target of `seconds` started at `start` falls due on an unsaved calendar. */
export const previewDue = (calendar: CalendarInput, start: string, seconds: number) =>
  api<{ due?: string }>("/sla/calendars/preview", { json: { calendar, start, seconds } }).then((r) => r.due ?? null);
