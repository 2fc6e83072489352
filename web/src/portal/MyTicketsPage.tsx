import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { queryKeys } from "../api/queryKeys.ts";
import { listTickets } from "../api/tickets.ts";
import { StatusBadge } from "../components/Badges.tsx";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Loading } from "../components/Loading.tsx";
import { doneStatuses, openStatuses } from "../lib/labels.ts";
import { formatDateTime, timeAgo } from "../lib/time.ts";

type Show = "open" | "closed";

/** The customer's requests, most recently active first, open or closed. */
export function MyTicketsPage() {
  const [params, setParams] = useSearchParams();
  const show: Show = params.get("show") === "closed" ? "closed" : "open";
  const filters = { status: (show === "open" ? openStatuses : doneStatuses).join(","), sort: "-updated_at", limit: "25" };
  const list = useInfiniteQuery({
    queryKey: queryKeys.ticketList(filters),
    queryFn: ({ pageParam, signal }) => listTickets(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const tickets = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <main id="main">
      <div className="page-head">
        <h1>My tickets</h1>
        <Link className="button" to="/tickets/new">
          New request
        </Link>
      </div>
      <div className="segmented" role="group" aria-label="Which tickets">
        {(["open", "closed"] as const).map((s) => (
          <button key={s} type="button" aria-pressed={show === s} onClick={() => setParams(s === "open" ? {} : { show: s })}>
            {s === "open" ? "Open" : "Closed"}
          </button>
        ))}
      </div>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorMessage error={list.error} />
      ) : tickets.length === 0 ? (
        <p className="empty">
          {show === "open" ? "You have no open requests." : "No closed requests yet."} <Link to="/tickets/new">File a new request</Link>
        </p>
      ) : (
        <table className="ticket-list">
          <caption className="visually-hidden">{show === "open" ? "Open" : "Closed"} tickets</caption>
          <thead>
            <tr>
              <th scope="col">Ticket</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col">Last update</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((t) => (
              <tr key={t.id}>
                <td className="mono">{t.number}</td>
                <td>
                  <Link to={`/tickets/${t.number}`}>{t.subject}</Link>
                </td>
                <td>
                  <StatusBadge status={t.status} audience="customer" />
                </td>
                <td>
                  <time dateTime={t.updatedAt} title={formatDateTime(t.updatedAt)}>
                    {timeAgo(t.updatedAt)}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage && (
        <button type="button" className="button button-secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? "Loading…" : "Show more"}
        </button>
      )}
    </main>
  );
}
