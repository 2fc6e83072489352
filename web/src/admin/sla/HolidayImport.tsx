import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { countryHolidays } from "../../api/admin/sla.ts";
import type { Holiday } from "../../api/admin/types.ts";
import { ApiError } from "../../api/ApiError.ts";
import { Field } from "../../components/Field.tsx";
import { describeError } from "../components/Feedback.tsx";
import { onEnter } from "../lib/onEnter.ts";

/**
 * Fetches a country's public holidays from the server (no form of its own: it sits inside the
 * calendar's form, so it uses buttons, not submit). The result is added to the list, unsaved.
 */
export function HolidayImport({ onImported }: { onImported: (holidays: Holiday[], what: string) => void }) {
  const thisYear = new Date().getFullYear();
  const [country, setCountry] = useState("");
  const [region, setRegion] = useState("");
  const [years, setYears] = useState(`${thisYear}, ${thisYear + 1}`);
  const parsedYears = years.split(",").map((y) => Number(y.trim())).filter((y) => Number.isInteger(y) && y > 0);
  const load = useMutation({
    mutationFn: () => countryHolidays(country.trim().toUpperCase(), parsedYears, region.trim() || undefined),
    onSuccess: (holidays) => onImported(holidays, `${country.trim().toUpperCase()}${region.trim() ? `-${region.trim()}` : ""} ${parsedYears.join(", ")}`),
  });
  const canLoad = !load.isPending && /^[A-Za-z]{2}$/.test(country.trim()) && parsedYears.length > 0;
  const start = () => {
    if (canLoad) load.mutate();
  };
  const fieldError = (name: string) => (load.error instanceof ApiError ? load.error.fieldErrors[name] : undefined);
  const countryError = country && !/^[A-Za-z]{2}$/.test(country.trim()) ? "A two-letter country code, for example DE or US." : fieldError("country");
  const generalError = load.error && !fieldError("country") && !fieldError("years") && !fieldError("region") ? describeError(load.error) : undefined;
  return (
    <fieldset className="holiday-import">
      <legend>Add a country's public holidays</legend>
      <div className="field-row">
        <Field label="Country code" hint="ISO 3166, for example DE, GB, US." error={countryError}>
          <input type="text" maxLength={2} value={country} onKeyDown={onEnter(start)} onChange={(e) => { setCountry(e.target.value); load.reset(); }} />
        </Field>
        <Field label="Region (optional)" hint="For example BY for Bavaria." error={fieldError("region")}>
          <input type="text" maxLength={10} value={region} onKeyDown={onEnter(start)} onChange={(e) => { setRegion(e.target.value); load.reset(); }} />
        </Field>
        <Field label="Years" hint="Separated by commas." error={fieldError("years") ?? (parsedYears.length === 0 ? "Give at least one year." : undefined)}>
          <input type="text" value={years} onKeyDown={onEnter(start)} onChange={(e) => { setYears(e.target.value); load.reset(); }} />
        </Field>
      </div>
      {generalError && (
        <p className="alert alert-error" role="alert">
          Holidays could not be loaded: {generalError}
        </p>
      )}
      <button type="button" className="button button-secondary" disabled={!canLoad} onClick={start}>
        {load.isPending ? "Loading holidays…" : "Add holidays"}
      </button>
    </fieldset>
  );
}
