import type { Team, TicketPriority, TicketStatus } from "../../api/types.ts";
import { Field } from "../../components/Field.tsx";
import { allPriorities, metricLabels, priorityLabels, statusLabels } from "../../lib/labels.ts";
import { defaultPauseStatuses, type Metric, type TargetDraft } from "./policyDraft.ts";

// Closed tickets stop every clock anyway; these are the statuses an admin may choose to pause on.
const pausable: TicketStatus[] = ["waiting_on_customer", "pending_approval", "blocked", "in_progress"];

type Props = {
  metric: Metric;
  draft: TargetDraft;
  teams: Team[];
  onChange: (change: Partial<TargetDraft>) => void;
  errorFor: (path: string) => string | undefined;
};

/** One metric's target: on or off, how long, business or calendar time, warnings, pauses, breach actions. */
export function TargetFieldset({ metric, draft, teams, onChange, errorFor }: Props) {
  const label = metricLabels[metric] ?? metric;
  const path = `targets.${metric}`;
  const pauses = draft.pauseStatuses ?? defaultPauseStatuses[metric];
  const togglePause = (s: TicketStatus, isOn: boolean) => onChange({ pauseStatuses: isOn ? [...pauses, s] : pauses.filter((p) => p !== s) });
  return (
    <fieldset className="target" data-metric={metric}>
      <legend>
        <label>
          <input type="checkbox" checked={draft.isOn} onChange={(e) => onChange({ isOn: e.target.checked })} /> {label} target
        </label>
      </legend>
      {draft.isOn && (
        <>
          <div className="field-row">
            <Field label={`${label}: hours`} error={errorFor(`${path}.seconds`)}>
              <input type="number" min={0} step={1} inputMode="numeric" value={draft.hours} onChange={(e) => onChange({ hours: e.target.value })} />
            </Field>
            <Field label={`${label}: minutes`}>
              <input type="number" min={0} max={59} step={1} inputMode="numeric" value={draft.minutes} onChange={(e) => onChange({ minutes: e.target.value })} />
            </Field>
            <Field label={`${label}: counted in`} error={errorFor(`${path}.timeMode`)}>
              <select value={draft.timeMode} onChange={(e) => onChange({ timeMode: e.target.value as TargetDraft["timeMode"] })}>
                <option value="business">Business hours (the calendar)</option>
                <option value="calendar">Calendar time (around the clock)</option>
              </select>
            </Field>
            <Field label={`${label}: warn at (% of target)`} hint="For example 75, 90." error={errorFor(`${path}.warnAt`)}>
              <input type="text" value={draft.warnAt} onChange={(e) => onChange({ warnAt: e.target.value })} />
            </Field>
          </div>
          <fieldset className="inline-checks">
            <legend>The clock pauses while the ticket is</legend>
            {pausable.map((s) => (
              <label key={s}>
                <input type="checkbox" checked={pauses.includes(s)} onChange={(e) => togglePause(s, e.target.checked)} /> {statusLabels[s]}
              </label>
            ))}
            {errorFor(`${path}.pauseStatuses`) && <p className="field-error">{errorFor(`${path}.pauseStatuses`)}</p>}
          </fieldset>
          <div className="field-row">
            <Field label={`On breach: raise priority to`} error={errorFor(`${path}.breachActions.setPriority`)}>
              <select value={draft.setPriority} onChange={(e) => onChange({ setPriority: e.target.value as TicketPriority | "" })}>
                <option value="">Leave it</option>
                {allPriorities.map((p) => (
                  <option key={p} value={p}>
                    {priorityLabels[p]}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="On breach: assign to team" error={errorFor(`${path}.breachActions.assignTeamId`)}>
              <select value={draft.assignTeamId} onChange={(e) => onChange({ assignTeamId: e.target.value })}>
                <option value="">Leave it</option>
                {teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="On breach: add tags" hint="Separated by commas." error={errorFor(`${path}.breachActions.addTags`)}>
              <input type="text" value={draft.addTags} onChange={(e) => onChange({ addTags: e.target.value })} />
            </Field>
          </div>
        </>
      )}
    </fieldset>
  );
}
