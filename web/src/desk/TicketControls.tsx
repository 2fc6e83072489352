import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { allowedNextStatuses, canReopen } from "../../../src/domain/ticketStatus.js";
import { queryKeys } from "../api/queryKeys.ts";
import { updateTicket, type TicketChange } from "../api/tickets.ts";
import type { Team, TicketDetail, TicketStatus, User } from "../api/types.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { allPriorities, priorityLabels, statusLabels } from "../lib/labels.ts";

type Props = { ticket: TicketDetail; staff: User[]; teams: Team[]; me: User | null | undefined; onAssignToMe: () => void; isAssigning: boolean };

/** The statuses a ticket can move to from here: the state machine's moves, plus reopening. */
function statusChoices(t: TicketDetail): TicketStatus[] {
  const next = [...allowedNextStatuses(t.status)];
  if (canReopen(t.status, t.mergedIntoId !== null)) next.unshift("open");
  return [t.status, ...next.filter((s) => s !== t.status)];
}

/** Status, priority, assignee, team and tags; each change is saved at once and recorded in history. */
export function TicketControls({ ticket, staff, teams, me, onAssignToMe, isAssigning }: Props) {
  const client = useQueryClient();
  const [tags, setTags] = useState((ticket.tags ?? []).join(", "));
  useEffect(() => setTags((ticket.tags ?? []).join(", ")), [ticket.tags]);
  const save = useMutation({
    mutationFn: (change: TicketChange) => updateTicket(ticket.number, change),
    onSuccess: (updated) => {
      client.setQueryData(queryKeys.ticket(ticket.number), updated);
      void client.invalidateQueries({ queryKey: queryKeys.ticket(ticket.number) });
      void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
    },
  });
  const isBusy = save.isPending;
  const tagList = tags.split(",").map((t) => t.trim()).filter(Boolean);
  const tagsChanged = tagList.join(",") !== (ticket.tags ?? []).join(",");

  return (
    <section className="panel controls" aria-labelledby="controls-title">
      <h2 id="controls-title">Ticket</h2>
      <div className="control">
        <label htmlFor="ticket-status">Status</label>
        <select id="ticket-status" value={ticket.status} disabled={isBusy} onChange={(e) => save.mutate({ status: e.target.value as TicketStatus })}>
          {statusChoices(ticket).map((s) => (
            <option key={s} value={s}>
              {statusLabels[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="control">
        <label htmlFor="ticket-priority">Priority</label>
        <select id="ticket-priority" value={ticket.priority} disabled={isBusy} onChange={(e) => save.mutate({ priority: e.target.value as TicketDetail["priority"] })}>
          {allPriorities.map((p) => (
            <option key={p} value={p}>
              {priorityLabels[p]}
            </option>
          ))}
        </select>
      </div>
      <div className="control">
        <label htmlFor="ticket-assignee">Assignee</label>
        <select id="ticket-assignee" value={ticket.assignee?.id ?? ""} disabled={isBusy} onChange={(e) => save.mutate({ assigneeId: e.target.value || null })}>
          <option value="">Unassigned</option>
          {staff.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </div>
      {me && ticket.assignee?.id !== me.id && (
        <button type="button" className="link-button" onClick={onAssignToMe} disabled={isAssigning}>
          Assign to me <kbd aria-hidden="true">a</kbd>
        </button>
      )}
      <div className="control">
        <label htmlFor="ticket-team">Team</label>
        <select id="ticket-team" value={ticket.team?.id ?? ""} disabled={isBusy} onChange={(e) => save.mutate({ teamId: e.target.value || null })}>
          <option value="">No team</option>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <form
        className="control"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ tags: tagList });
        }}
      >
        <label htmlFor="ticket-tags">Tags</label>
        <div className="inline">
          <input id="ticket-tags" type="text" value={tags} onChange={(e) => setTags(e.target.value)} aria-describedby="ticket-tags-hint" />
          <button type="submit" className="button button-secondary" disabled={isBusy || !tagsChanged}>
            Save
          </button>
        </div>
        <p className="field-hint" id="ticket-tags-hint">
          Separate tags with commas.
        </p>
      </form>
      {save.error && <ErrorMessage title="Not saved" error={save.error} />}
    </section>
  );
}
