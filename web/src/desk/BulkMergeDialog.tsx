import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "../api/ApiError.ts";
import { queryKeys } from "../api/queryKeys.ts";
import { mergeTicket } from "../api/tickets.ts";
import type { Ticket } from "../api/types.ts";
import { StatusBadge } from "../components/Badges.tsx";
import { ModalDialog } from "../components/ModalDialog.tsx";
import type { BulkOutcome, RowResult } from "./bulkResults.ts";
import { mergeConsequences } from "./mergeTargets.ts";

type Props = { selected: Ticket[]; onClose: () => void; onDone: (outcome: BulkOutcome) => void };

/**
 * Merges the ticked tickets into one of them, chosen here. Each merge is its own request, one
 * after another (both tickets are locked for each), so one refusal does not stop the rest.
 */
export function BulkMergeDialog({ selected, onClose, onDone }: Props) {
  const client = useQueryClient();
  const candidates = selected.filter((t) => t.status !== "closed");
  const [targetId, setTargetId] = useState(candidates[0]?.id ?? "");
  const [isRunning, setIsRunning] = useState(false);
  const target = candidates.find((t) => t.id === targetId);
  const sources = selected.filter((t) => t.id !== targetId);

  const run = async () => {
    if (!target) return;
    setIsRunning(true);
    const rows: RowResult[] = [];
    for (const s of sources) {
      try {
        await mergeTicket(s.id, target.id);
        rows.push({ id: s.id, number: s.number, ok: true, detail: `merged into ${target.number}` });
      } catch (error) {
        rows.push({ id: s.id, number: s.number, ok: false, detail: error instanceof ApiError || error instanceof Error ? error.message : "refused" });
      }
    }
    for (const t of selected) void client.invalidateQueries({ queryKey: queryKeys.ticket(t.number) });
    void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
    setIsRunning(false);
    onDone({ action: `Merge into ${target.number}`, rows });
  };

  return (
    <ModalDialog title={`Merge ${selected.length} tickets into one`} onClose={onClose} className="merge-dialog">
      {candidates.length === 0 ? (
        <p className="alert alert-error" role="alert">
          All the selected tickets are closed; a merge needs an open ticket to keep.
        </p>
      ) : (
        <fieldset className="merge-candidates">
          <legend>Keep which ticket?</legend>
          {candidates.map((t) => (
            <label key={t.id} className="candidate">
              <input type="radio" name="bulk-merge-target" value={t.id} checked={t.id === targetId} onChange={() => setTargetId(t.id)} data-autofocus={t.id === targetId ? true : undefined} />
              <span className="mono">{t.number}</span> <span>{t.subject}</span> <StatusBadge status={t.status} />
            </label>
          ))}
        </fieldset>
      )}
      {target && sources.length > 0 && (
        <p className="alert alert-info merge-consequence" role="status">
          {mergeConsequences(sources.map((s) => s.number), target.number)}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" className="button" disabled={!target || sources.length === 0 || isRunning} onClick={() => void run()}>
          {isRunning ? "Merging…" : target ? `Merge ${sources.length} into ${target.number}` : "Merge"}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose} disabled={isRunning}>
          Cancel
        </button>
      </div>
    </ModalDialog>
  );
}
