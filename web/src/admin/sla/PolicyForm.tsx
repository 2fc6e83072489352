import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { createPolicy, savePolicyVersion } from "../../api/admin/sla.ts";
import type { ApplyMode, CalendarRow, PolicyRow } from "../../api/admin/types.ts";
import { queryKeys } from "../../api/queryKeys.ts";
import type { Team, TicketPriority } from "../../api/types.ts";
import { Field } from "../../components/Field.tsx";
import { allPriorities, priorityLabels } from "../../lib/labels.ts";
import { useFieldErrors } from "../lib/useFieldErrors.ts";
import { ApplyChoice } from "./ApplyChoice.tsx";
import { policyDefinitionFrom, policyDraftFrom, slaMetrics, validatePolicyDraft, type Metric, type PolicyDraft, type TargetDraft } from "./policyDraft.ts";
import { TargetFieldset } from "./TargetFieldset.tsx";
import { FormProblems } from "../components/FormProblems.tsx";

const shownPaths = ["name", "position", "isActive", "calendarId", "conditions.priority", "conditions.category", "targets", "notifyInBusinessHoursOnly"];

type Props = { policy: PolicyRow | null; calendars: CalendarRow[]; teams: Team[]; onSaved: (saved: PolicyRow, rebaselined: number | null) => void };

/** A policy's conditions and targets. Saving an existing policy writes a new version; the admin chooses which tickets it reaches. */
export function PolicyForm({ policy, calendars, teams, onSaved }: Props) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<PolicyDraft>(() => policyDraftFrom(policy?.definition ?? null));
  const [apply, setApply] = useState<ApplyMode>("new_tickets");
  const errors = useFieldErrors(validatePolicyDraft(draft));
  const save = useMutation({
    mutationFn: async () => {
      const definition = policyDefinitionFrom(draft, policy?.definition ?? null);
      if (!policy) return { row: await createPolicy(definition), rebaselined: null };
      const { rebaselined, ...row } = await savePolicyVersion(policy.id, definition, apply);
      return { row, rebaselined };
    },
    onSuccess: ({ row, rebaselined }) => {
      // The page re-opens the form from the cache: it must hold the version just saved.
      client.setQueryData<PolicyRow[]>(adminKeys.policies, (old) => (old ? [...old.filter((p) => p.id !== row.id), row] : [row]));
      void client.invalidateQueries({ queryKey: adminKeys.policies });
      // Moved tickets have new clocks and due dates: every ticket view asks again.
      if (rebaselined) {
        void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
        void client.invalidateQueries({ queryKey: ["ticket"] });
      }
      onSaved(row, rebaselined);
    },
    onError: (error) => errors.take(error),
  });
  const set = (change: Partial<PolicyDraft>) => setDraft((d) => ({ ...d, ...change }));
  const setTarget = (metric: Metric, change: Partial<TargetDraft>) => {
    errors.clear(`targets.${metric}`);
    errors.clear("targets");
    setDraft((d) => ({ ...d, targets: { ...d.targets, [metric]: { ...d.targets[metric], ...change } } }));
  };
  const togglePriority = (p: TicketPriority, isOn: boolean) =>
    set({ priorities: isOn ? allPriorities.filter((x) => x === p || draft.priorities.includes(x)) : draft.priorities.filter((x) => x !== p) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    if (errors.tryToSend()) save.mutate();
  };
  const unclaimed = errors.unclaimed(shownPaths);
  const base = policy?.definition.conditions;
  const otherConditions = base ? Object.entries(base).filter(([k, v]) => k !== "priority" && k !== "category" && Array.isArray(v) && v.length > 0) : [];

  return (
    <form ref={errors.formRef} onSubmit={submit} noValidate className="form policy-form" aria-label={policy ? `Edit ${policy.definition.name}` : "New policy"}>
      <FormProblems count={errors.count} saveError={save.error} what="The policy" unclaimed={unclaimed} />
      <div className="field-row">
        <Field label="Policy name" error={errors.errorFor("name")}>
          <input type="text" value={draft.name} onChange={(e) => { set({ name: e.target.value }); errors.clear("name"); }} />
        </Field>
        <Field label="Order" hint="Lower numbers are checked first; the first matching active policy applies." error={errors.errorFor("position")}>
          <input type="number" min={0} max={10000} step={1} value={draft.position} onChange={(e) => { set({ position: e.target.value }); errors.clear("position"); }} />
        </Field>
        <Field label="Business calendar" error={errors.errorFor("calendarId")}>
          <select value={draft.calendarId} onChange={(e) => { set({ calendarId: e.target.value }); errors.clear("calendarId"); }}>
            <option value="">The default calendar</option>
            {calendars.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.isDefault ? " (default)" : ""}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={draft.isActive} onChange={(e) => set({ isActive: e.target.checked })} /> Active
      </label>
      <fieldset className="inline-checks">
        <legend>Applies to priorities (none ticked: every priority)</legend>
        {allPriorities.map((p) => (
          <label key={p}>
            <input type="checkbox" checked={draft.priorities.includes(p)} onChange={(e) => togglePriority(p, e.target.checked)} /> {priorityLabels[p]}
          </label>
        ))}
        {errors.errorFor("conditions.priority") && <p className="field-error">{errors.errorFor("conditions.priority")}</p>}
      </fieldset>
      <Field label="Applies to categories" hint="Separated by commas; empty: every category." error={errors.errorFor("conditions.category")}>
        <input type="text" value={draft.categories} onChange={(e) => { set({ categories: e.target.value }); errors.clear("conditions.category"); }} />
      </Field>
      {otherConditions.length > 0 && (
        <p className="muted">
          Also only when {otherConditions.map(([k, v]) => `${k} is ${(v as string[]).join(" or ")}`).join(", and ")} (set through the API; kept as is).
        </p>
      )}
      <h2>Targets</h2>
      {errors.errorFor("targets") && !slaMetrics.some((m) => errors.errorFor(`targets.${m}`)) && (
        <p className="field-error" role="alert">
          {errors.errorFor("targets")}
        </p>
      )}
      {slaMetrics.map((m) => (
        <TargetFieldset key={m} metric={m} draft={draft.targets[m]} teams={teams} onChange={(c) => setTarget(m, c)} errorFor={errors.errorFor} />
      ))}
      <label className="check">
        <input type="checkbox" checked={draft.notifyInBusinessHoursOnly} onChange={(e) => set({ notifyInBusinessHoursOnly: e.target.checked })} /> Hold warning notifications until
        business hours
      </label>
      {policy && <ApplyChoice name="policy-apply" value={apply} onChange={setApply} />}
      <button type="submit" className="button" disabled={save.isPending}>
        {save.isPending ? "Saving…" : policy ? "Save new version" : "Create policy"}
      </button>
    </form>
  );
}
