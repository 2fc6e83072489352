import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { queryKeys } from "../api/queryKeys.ts";
import { listTickets } from "../api/tickets.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Loading } from "../components/Loading.tsx";
import { useNow } from "../lib/useNow.ts";
import { useShortcuts } from "../lib/useShortcuts.ts";
import { QueueFilters } from "./QueueFilters.tsx";
import { QueueTable } from "./QueueTable.tsx";
import { readFilters, toApiQuery, writeFilters, type QueueFilters as Filters } from "./queueFilters.ts";
import { useAssignToMe } from "./useAssignToMe.ts";
import { useDirectory } from "./useDirectory.ts";

/** The agents' queue: server-side filters and sort, pages by cursor, live, and driven from the keyboard. */
export function QueuePage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const search = params.toString();
  const filters = useMemo(() => readFilters(new URLSearchParams(search)), [search]);
  const apiQuery = useMemo(
    () => Object.fromEntries(Object.entries(toApiQuery(filters)).filter((e): e is [string, string] => e[1] !== undefined)),
    [filters],
  );
  const list = useInfiniteQuery({
    queryKey: queryKeys.ticketList(apiQuery),
    queryFn: ({ pageParam, signal }) => listTickets(apiQuery, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const tickets = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const { staff, teams } = useDirectory();
  const now = useNow();
  const searchRef = useRef<HTMLInputElement>(null);
  const assign = useAssignToMe();
  const [notice, setNotice] = useState("");

  // The selection follows a ticket, not a row position, so live inserts do not move it.
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const found = tickets.findIndex((t) => t.id === selectedId);
  const selected = found >= 0 ? found : 0;
  const current = tickets[selected];

  useEffect(() => {
    if (!current) return;
    document.querySelector(`tr[data-number="${CSS.escape(current.number)}"]`)?.scrollIntoView({ block: "nearest" });
  }, [current]);

  const move = (delta: number) => {
    const next = Math.max(0, Math.min(tickets.length - 1, selected + delta));
    const target = tickets[next];
    if (target) setSelectedId(target.id);
    if (delta > 0 && next === tickets.length - 1 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  };

  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    Enter: () => current && void navigate(`/desk/tickets/${current.number}`),
    "/": () => searchRef.current?.focus(),
    a: () => {
      if (!current) return;
      assign.mutate(current.number, {
        onSuccess: (t) => setNotice(`${t.number} is assigned to you.`),
        onError: (e) => setNotice(`${current.number} was not assigned: ${e.message}`),
      });
    },
  });

  const change = (c: Partial<Filters>) => {
    setSelectedId(null);
    setParams(writeFilters(filters, c));
  };

  return (
    <main id="main" className="queue">
      <div className="page-head">
        <h1>Queue</h1>
        <p className="shortcuts muted" aria-label="Keyboard shortcuts">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>a</kbd> assign to me · <kbd>/</kbd> search
        </p>
      </div>
      <QueueFilters filters={filters} onChange={change} staff={staff} teams={teams} searchRef={searchRef} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      {notice && <p className="alert alert-info" aria-hidden="true">{notice}</p>}
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorMessage error={list.error} title="The queue could not be loaded" />
      ) : tickets.length === 0 ? (
        <p className="empty">No tickets match this view.</p>
      ) : (
        <QueueTable tickets={tickets} selected={selected} onSelect={(i) => setSelectedId(tickets[i]?.id ?? null)} sort={filters.sort} onSort={(sort) => change({ sort })} now={now} />
      )}
      <div className="queue-foot">
        <span className="muted">
          {tickets.length} shown{list.hasNextPage ? ", more available" : ""}
          {list.isFetching && !list.isPending ? " · refreshing…" : ""}
        </span>
        {list.hasNextPage && (
          <button type="button" className="button button-secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        )}
      </div>
    </main>
  );
}
