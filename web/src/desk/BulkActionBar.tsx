import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { queryKeys } from "../api/queryKeys.ts";
import { bulkUpdateTickets, type BulkChange } from "../api/tickets.ts";
import type { Ticket, TicketPriority, TicketStatus, User } from "../api/types.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { allPriorities, allStatuses, priorityLabels, statusLabels } from "../lib/labels.ts";
import { BulkMergeDialog } from "./BulkMergeDialog.tsx";
import { describeChange, toRowResults, type BulkOutcome } from "./bulkResults.ts";

type Props = {
  selected: Ticket[];
  staff: User[];
  me: User | null | undefined;
  onDone: (outcome: BulkOutcome) => void;
  onClear: () => void;
};

/** The choices of the form, "" meaning "leave as it is". */
type Choices = { assignee: string; status: string; priority: string; tag: string };
const noChoices: Choices = { assignee: "", status: "", priority: "", tag: "" };

function toChange(c: Choices, me: User | null | undefined): BulkChange {
  const change: BulkChange = {};
  if (c.assignee === "unassigned") change.assigneeId = null;
  else if (c.assignee === "me" && me) change.assigneeId = me.id;
  else if (c.assignee) change.assigneeId = c.assignee;
  if (c.status) change.status = c.status as TicketStatus;
  if (c.priority) change.priority = c.priority as TicketPriority;
  if (c.tag.trim()) change.addTags = [c.tag.trim().toLowerCase()];
  return change;
}

/**
 * Shown while rows are ticked: one change (any of assignee, status, priority, a tag) applied to
 * all of them in one request, or a merge of them into one. Each ticket answers for itself.
 */
export function BulkActionBar({ selected, staff, me, onDone, onClear }: Props) {
  const client = useQueryClient();
  const [choices, setChoices] = useState<Choices>(noChoices);
  const [isMerging, setIsMerging] = useState(false);
  const [formError, setFormError] = useState("");
  const set = (c: Partial<Choices>) => {
    setFormError("");
    setChoices((prev) => ({ ...prev, ...c }));
  };
  const apply = useMutation({
    mutationFn: (change: BulkChange) => bulkUpdateTickets(selected.map((t) => t.id), change),
    onSuccess: (results, change) => {
      for (const t of selected) void client.invalidateQueries({ queryKey: queryKeys.ticket(t.number) });
      void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
      setChoices(noChoices);
      const summary = describeChange(change, me ? [...staff, me] : staff);
      onDone({ action: `Bulk change (${summary})`, rows: toRowResults(results, selected, summary) });
    },
  });
  const count = selected.length;

  return (
    <section className="bulk-bar" aria-labelledby="bulk-bar-title">
      <h2 id="bulk-bar-title" className="bulk-count">
        {count} selected
      </h2>
      <form
        className="bulk-form"
        onSubmit={(e) => {
          e.preventDefault();
          const change = toChange(choices, me);
          if (Object.keys(change).length === 0) {
            setFormError("Choose at least one change.");
            return;
          }
          apply.mutate(change);
        }}
      >
        <div className="filter">
          <label htmlFor="bulk-assign">Assign to</label>
          <select id="bulk-assign" value={choices.assignee} onChange={(e) => set({ assignee: e.target.value })}>
            <option value="">No change</option>
            {me && <option value="me">Me ({me.name})</option>}
            <option value="unassigned">Unassigned</option>
            {staff.filter((u) => u.id !== me?.id).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="bulk-status">Set status</label>
          <select id="bulk-status" value={choices.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="">No change</option>
            {allStatuses.map((s) => (
              <option key={s} value={s}>
                {statusLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="bulk-priority">Set priority</label>
          <select id="bulk-priority" value={choices.priority} onChange={(e) => set({ priority: e.target.value })}>
            <option value="">No change</option>
            {allPriorities.map((p) => (
              <option key={p} value={p}>
                {priorityLabels[p]}
              </option>
            ))}
          </select>
        </div>
        <div className="filter">
          <label htmlFor="bulk-tag">Add tag</label>
          <input id="bulk-tag" type="text" value={choices.tag} onChange={(e) => set({ tag: e.target.value })} size={10} />
        </div>
        <button type="submit" className="button" disabled={apply.isPending}>
          {apply.isPending ? "Applying…" : `Apply to ${count} ${count === 1 ? "ticket" : "tickets"}`}
        </button>
        <button type="button" className="button button-secondary" disabled={count < 2 || apply.isPending} onClick={() => setIsMerging(true)}>
          Merge selected…
        </button>
        <button type="button" className="link-button" onClick={onClear}>
          Clear selection
        </button>
      </form>
      {formError && (
        <p className="field-error" role="alert">
          {formError}
        </p>
      )}
      {apply.error && <ErrorMessage error={apply.error} title="Nothing was changed" />}
      {isMerging && (
        <BulkMergeDialog
          selected={selected}
          onClose={() => setIsMerging(false)}
          onDone={(outcome) => {
            setIsMerging(false);
            onDone(outcome);
          }}
        />
      )}
    </section>
  );
}
