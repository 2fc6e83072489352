import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { queryKeys } from "../api/queryKeys.ts";
import { mergeTicket } from "../api/tickets.ts";
import type { Ticket } from "../api/types.ts";
import { StatusBadge } from "../components/Badges.tsx";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Loading } from "../components/Loading.tsx";
import { ModalDialog } from "../components/ModalDialog.tsx";
import { findMergeTargets, mergeConsequences } from "./mergeTargets.ts";

/**
 * "Merge…" on a ticket: find the ticket this one duplicates (by number or words), pick it, read
 * what will happen, confirm. The agent lands on the target, where the messages now are.
 */
export function MergeDialog({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [query, setQuery] = useState("");
  const [submitted, setSubmitted] = useState("");
  const [target, setTarget] = useState<Ticket | null>(null);
  const candidates = useQuery({
    queryKey: ["merge-targets", ticket.id, submitted],
    queryFn: ({ signal }) => findMergeTargets(submitted, ticket, signal),
    enabled: submitted !== "",
  });
  const merge = useMutation({
    mutationFn: (into: Ticket) => mergeTicket(ticket.number, into.number),
    onSuccess: ({ source, target: merged }) => {
      void client.invalidateQueries({ queryKey: queryKeys.ticket(source.number) });
      void client.invalidateQueries({ queryKey: queryKeys.ticket(merged.number) });
      void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
      onClose();
      void navigate(`/desk/tickets/${merged.number}`);
    },
  });

  return (
    <ModalDialog title={`Merge ${ticket.number} into another ticket`} onClose={onClose} className="merge-dialog">
      <form
        className="merge-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setTarget(null);
          setSubmitted(query.trim());
        }}
      >
        <label htmlFor="merge-query">Find the ticket to keep</label>
        <div className="inline">
          <input id="merge-query" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Number (SUP-00042 or 42) or words" aria-describedby="merge-query-hint" data-autofocus />
          <button type="submit" className="button button-secondary" disabled={!query.trim()}>
            Find
          </button>
        </div>
        <p className="field-hint" id="merge-query-hint">
          {ticket.number} is the duplicate; the ticket you pick stays open and receives its messages.
        </p>
      </form>
      {submitted && (candidates.isPending ? (
        <Loading />
      ) : candidates.error ? (
        <ErrorMessage error={candidates.error} title="The search failed" />
      ) : candidates.data.length === 0 ? (
        <p className="empty" role="status">No ticket matches “{submitted}”.</p>
      ) : (
        <fieldset className="merge-candidates">
          <legend>Merge into</legend>
          {candidates.data.map((t) => {
            const isClosed = t.status === "closed";
            return (
              <label key={t.id} className={`candidate${isClosed ? " candidate-disabled" : ""}`}>
                <input type="radio" name="merge-target" value={t.id} checked={target?.id === t.id} disabled={isClosed} onChange={() => setTarget(t)} />
                <span className="mono">{t.number}</span> <span>{t.subject}</span> <StatusBadge status={t.status} />
                {isClosed && <span className="muted"> (closed tickets cannot receive a merge)</span>}
              </label>
            );
          })}
        </fieldset>
      ))}
      {target && (
        <p className="alert alert-info merge-consequence" role="status">
          {mergeConsequences([ticket.number], target.number)}
        </p>
      )}
      {merge.error && <ErrorMessage error={merge.error} title="Not merged" />}
      <div className="modal-actions">
        <button type="button" className="button" disabled={!target || merge.isPending} onClick={() => target && merge.mutate(target)}>
          {merge.isPending ? "Merging…" : target ? `Merge ${ticket.number} into ${target.number}` : "Merge"}
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </ModalDialog>
  );
}
