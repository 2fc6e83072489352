import type { ApplyMode } from "../../api/admin/types.ts";

/** Which tickets a saved change reaches: the server's `apply` mode, in words. */
export function ApplyChoice({ value, onChange, name }: { value: ApplyMode; onChange: (mode: ApplyMode) => void; name: string }) {
  return (
    <fieldset className="apply-choice">
      <legend>Which tickets get the new version?</legend>
      <label>
        <input type="radio" name={name} value="new_tickets" checked={value === "new_tickets"} onChange={() => onChange("new_tickets")} />
        Only new tickets
        <span className="field-hint">Open tickets keep the targets they started with.</span>
      </label>
      <label>
        <input type="radio" name={name} value="rebaseline_open" checked={value === "rebaseline_open"} onChange={() => onChange("rebaseline_open")} />
        Also open tickets, keeping time already used
        <span className="field-hint">Open tickets move to the new version; the business time they have used so far still counts.</span>
      </label>
    </fieldset>
  );
}
