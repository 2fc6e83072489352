import { Link } from "react-router";
import type { Ticket } from "../api/types.ts";
import { PriorityBadge, StatusBadge } from "../components/Badges.tsx";
import { formatDateTime, shortDuration } from "../lib/time.ts";
import type { RowResult } from "./bulkResults.ts";
import { SlaBadge } from "./SlaBadge.tsx";
import type { TicketSelection } from "./useTicketSelection.ts";

type SortKey = "created_at" | "priority" | "sla_due" | "updated_at";

type Props = {
  tickets: Ticket[];
  selected: number;
  onSelect: (index: number) => void;
  sort: string;
  onSort: (sort: string) => void;
  now: number;
  /** Ticked rows, for bulk actions. */
  selection: Pick<TicketSelection, "isSelected" | "isAllSelected" | "isSomeSelected" | "toggle" | "toggleAll">;
  /** The last bulk action's outcome per ticket id, marked on its row. */
  results: ReadonlyMap<string, RowResult>;
};

/** A column header that sorts on the server; the default direction is the useful one. */
function SortHeader({ label, sortKey, sort, onSort, firstDescending }: { label: string; sortKey: SortKey; sort: string; onSort: (s: string) => void; firstDescending?: boolean }) {
  const isActive = sort.replace("-", "") === sortKey;
  const isDesc = sort.startsWith("-");
  const next = isActive ? (isDesc ? sortKey : `-${sortKey}`) : firstDescending ? `-${sortKey}` : sortKey;
  return (
    <th scope="col" aria-sort={isActive ? (isDesc ? "descending" : "ascending") : "none"}>
      <button type="button" className="sort-button" onClick={() => onSort(next)}>
        {label}
        <span aria-hidden="true">{isActive ? (isDesc ? " ▼" : " ▲") : ""}</span>
      </button>
    </th>
  );
}

/** ✓ or ✗ beside a row the last bulk action touched; the reason is in the results list too. */
function ResultMark({ result }: { result: RowResult | undefined }) {
  if (!result) return null;
  return (
    <span className={`row-result ${result.ok ? "row-ok" : "row-failed"}`} title={result.detail}>
      <span aria-hidden="true">{result.ok ? "✓" : "✗"}</span>
      <span className="visually-hidden">{result.ok ? "done" : `failed: ${result.detail}`}</span>
    </span>
  );
}

/** The queue's rows. The selected row (j/k) is marked for sight and for screen readers. */
export function QueueTable({ tickets, selected, onSelect, sort, onSort, now, selection, results }: Props) {
  return (
    <div className="table-scroll">
      <table className="queue-table">
        <caption className="visually-hidden">Tickets. Use j and k to move, x to tick the current row, Enter to open.</caption>
        <thead>
          <tr>
            <th scope="col" className="select-cell">
              <input
                type="checkbox"
                aria-label="Select all tickets on this page"
                checked={selection.isAllSelected}
                ref={(el) => {
                  if (el) el.indeterminate = selection.isSomeSelected && !selection.isAllSelected;
                }}
                onChange={selection.toggleAll}
              />
            </th>
            <th scope="col">Number</th>
            <th scope="col">Subject</th>
            <th scope="col">Requester</th>
            <th scope="col">Organization</th>
            <th scope="col">Category</th>
            <SortHeader label="Priority" sortKey="priority" sort={sort} onSort={onSort} firstDescending />
            <th scope="col">Status</th>
            <th scope="col">Assignee</th>
            <SortHeader label="Age" sortKey="created_at" sort={sort} onSort={onSort} />
            <SortHeader label="SLA" sortKey="sla_due" sort={sort} onSort={onSort} />
          </tr>
        </thead>
        <tbody>
          {tickets.map((t, i) => (
            <tr
              key={t.id}
              aria-selected={i === selected}
              className={i === selected ? "selected" : undefined}
              data-number={t.number}
              onClick={() => onSelect(i)}
            >
              <td className="select-cell">
                <input type="checkbox" aria-label={`Select ${t.number}`} checked={selection.isSelected(t.id)} onChange={() => selection.toggle(t)} />
                <ResultMark result={results.get(t.id)} />
              </td>
              <td className="mono">{t.number}</td>
              <td className="subject">
                <Link to={`/desk/tickets/${t.number}`}>{t.subject}</Link>
                {t.isEscalated && <span className="badge escalated">Escalated</span>}
              </td>
              <td title={t.requester.email}>{t.requester.name}</td>
              <td>{t.organization?.name ?? <span className="muted">—</span>}</td>
              <td>{t.category}</td>
              <td>
                <PriorityBadge priority={t.priority} />
              </td>
              <td>
                <StatusBadge status={t.status} />
              </td>
              <td>{t.assignee?.name ?? <span className="muted">Unassigned</span>}</td>
              <td>
                <time dateTime={t.createdAt} title={formatDateTime(t.createdAt)}>
                  {shortDuration((now - new Date(t.createdAt).getTime()) / 1000)}
                </time>
              </td>
              <td>
                <SlaBadge ticket={t} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
