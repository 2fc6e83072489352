import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { previewDue } from "../../api/admin/sla.ts";
import type { CalendarInput } from "../../api/admin/types.ts";
import { Field } from "../../components/Field.tsx";
import { describeError } from "../components/Feedback.tsx";
import { onEnter } from "../lib/onEnter.ts";

const inZone = (iso: string, timeZone: string) => {
  try {
    return new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "short", timeZone }).format(new Date(iso));
  } catch {
    return null; // an unknown zone: the server will name it when saving
  }
};

/**
 * "A ticket arriving then with this target is due when?", computed by the server on the calendar
 * as it stands in the form (unsaved), so an admin can check hours and holidays before saving.
 */
export function CalendarPreview({ calendar }: { calendar: () => CalendarInput }) {
  const [start, setStart] = useState(() => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16));
  const [hours, setHours] = useState("8");
  const [zone, setZone] = useState("");
  const run = useMutation({
    mutationFn: () => {
      const input = calendar();
      setZone(input.timezone);
      return previewDue(input, new Date(start).toISOString(), Math.round(Number(hours) * 3600));
    },
  });
  const hoursError = !(Number(hours) > 0) ? "A number of hours above zero." : undefined;
  const canRun = !run.isPending && !hoursError && Boolean(start);
  const go = () => {
    if (canRun) run.mutate();
  };
  return (
    <fieldset className="calendar-preview">
      <legend>Try it</legend>
      <div className="field-row">
        <Field label="A ticket arrives at (your local time)">
          <input type="datetime-local" value={start} onKeyDown={onEnter(go)} onChange={(e) => { setStart(e.target.value); run.reset(); }} />
        </Field>
        <Field label="with a target of (business hours)" error={hoursError}>
          <input type="number" min={0} step="any" value={hours} onKeyDown={onEnter(go)} onChange={(e) => { setHours(e.target.value); run.reset(); }} />
        </Field>
      </div>
      <button type="button" className="button button-secondary" disabled={!canRun} onClick={go}>
        {run.isPending ? "Working it out…" : "Show when it is due"}
      </button>
      <div role="status" aria-live="polite">
        {run.data && (
          <p className="preview-result">
            Due <strong>{new Date(run.data).toLocaleString("en-GB", { dateStyle: "full", timeStyle: "short" })}</strong> your time
            {inZone(run.data, zone) ? ` (${inZone(run.data, zone)} in ${zone})` : ""}.
          </p>
        )}
      </div>
      {run.error && (
        <p className="alert alert-error" role="alert">
          No preview: {describeError(run.error)}
        </p>
      )}
    </fieldset>
  );
}
