import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState, type FormEvent } from "react";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { createCalendar, replaceCalendar } from "../../api/admin/sla.ts";
import type { ApplyMode, CalendarRow, Holiday } from "../../api/admin/types.ts";
import { queryKeys } from "../../api/queryKeys.ts";
import { Field } from "../../components/Field.tsx";
import { useFieldErrors } from "../lib/useFieldErrors.ts";
import { ApplyChoice } from "./ApplyChoice.tsx";
import { calendarDraftFrom, calendarInputFrom, mergeHolidays, validateCalendarDraft, type CalendarDraft } from "./calendarDraft.ts";
import { CalendarPreview } from "./CalendarPreview.tsx";
import { HolidayImport } from "./HolidayImport.tsx";
import { HolidayList } from "./HolidayList.tsx";
import { WeekGrid } from "./WeekGrid.tsx";
import { FormProblems } from "../components/FormProblems.tsx";

const shownPaths = ["name", "timezone", "is24x7", "week", "holidays", "isDefault"];

type Props = { calendar: CalendarRow | null; onSaved: (saved: CalendarRow) => void; onNote: (text: string) => void };

/** A business calendar: zone, the week grid, holidays, a preview; saving re-versions the policies that use it. */
export function CalendarForm({ calendar, onSaved, onNote }: Props) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<CalendarDraft>(() => calendarDraftFrom(calendar?.definition ?? null, calendar?.isDefault ?? false));
  const [apply, setApply] = useState<ApplyMode>("new_tickets");
  const errors = useFieldErrors(validateCalendarDraft(draft));
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []), []);
  const save = useMutation({
    mutationFn: () => {
      const input = { ...calendarInputFrom(draft, calendar?.definition ?? null), isDefault: draft.isDefault };
      return calendar ? replaceCalendar(calendar.id, input, apply) : createCalendar(input);
    },
    onSuccess: (saved) => {
      client.setQueryData<CalendarRow[]>(adminKeys.calendars, (old) => (old ? [...old.filter((c) => c.id !== saved.id), saved] : [saved]));
      void client.invalidateQueries({ queryKey: adminKeys.calendars });
      void client.invalidateQueries({ queryKey: adminKeys.policies });
      if (apply === "rebaseline_open") void client.invalidateQueries({ queryKey: ["ticket"] });
      void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
      onSaved(saved);
    },
    onError: (error) => errors.take(error),
  });
  const set = (change: Partial<CalendarDraft>) => setDraft((d) => ({ ...d, ...change }));
  const addImported = (holidays: Holiday[], what: string) => {
    const merged = mergeHolidays(draft.holidays, holidays);
    set({ holidays: merged.holidays });
    onNote(`${merged.added} holiday${merged.added === 1 ? "" : "s"} for ${what} added to the list${merged.added < holidays.length ? ` (${holidays.length - merged.added} were already there)` : ""}. Save the calendar to keep them.`);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    if (errors.tryToSend()) save.mutate();
  };
  const unclaimed = errors.unclaimed(shownPaths);
  return (
    <form ref={errors.formRef} onSubmit={submit} noValidate className="form calendar-form" aria-label={calendar ? `Edit ${calendar.name}` : "New calendar"}>
      <FormProblems count={errors.count} saveError={save.error} what="The calendar" unclaimed={unclaimed} />
      <div className="field-row">
        <Field label="Calendar name" error={errors.errorFor("name")}>
          <input type="text" value={draft.name} onChange={(e) => { set({ name: e.target.value }); errors.clear("name"); }} />
        </Field>
        <Field label="Time zone" hint="The working hours below are wall-clock times in this zone." error={errors.errorFor("timezone")}>
          <input type="text" list="admin-time-zones" value={draft.timezone} onChange={(e) => { set({ timezone: e.target.value }); errors.clear("timezone"); }} />
        </Field>
      </div>
      <datalist id="admin-time-zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <label className="check">
        <input type="checkbox" checked={draft.is24x7} onChange={(e) => { set({ is24x7: e.target.checked }); errors.clear("week"); }} /> Open around the clock (24/7; holidays still apply)
      </label>
      <label className="check">
        <input type="checkbox" checked={draft.isDefault} onChange={(e) => set({ isDefault: e.target.checked })} /> The default calendar (for policies that name none)
      </label>
      {!draft.is24x7 && <WeekGrid week={draft.week} onChange={(week) => { set({ week }); errors.clear("week"); }} errorFor={errors.errorFor} />}
      <HolidayList holidays={draft.holidays} onChange={(holidays) => { set({ holidays }); errors.clear("holidays"); }} errorFor={errors.errorFor} />
      <HolidayImport onImported={addImported} />
      {calendar?.definition.overrides?.length ? <p className="muted">{calendar.definition.overrides.length} dated override(s), set through the API, are kept as they are.</p> : null}
      <CalendarPreview calendar={() => calendarInputFrom(draft, calendar?.definition ?? null)} />
      {calendar && <ApplyChoice name="calendar-apply" value={apply} onChange={setApply} />}
      <button type="submit" className="button" disabled={save.isPending}>
        {save.isPending ? "Saving…" : calendar ? "Save calendar" : "Create calendar"}
      </button>
    </form>
  );
}
