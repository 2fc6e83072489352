import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { queryKeys } from "../api/queryKeys.ts";
import { listTickets, ticketExportUrl } from "../api/tickets.ts";
import { useSession } from "../auth/session.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Loading } from "../components/Loading.tsx";
import { useNow } from "../lib/useNow.ts";
import { useShortcuts } from "../lib/useShortcuts.ts";
import { BulkActionBar } from "./BulkActionBar.tsx";
import { BulkResults } from "./BulkResults.tsx";
import type { BulkOutcome } from "./bulkResults.ts";
import { QueueFilters } from "./QueueFilters.tsx";
import { QueueTable } from "./QueueTable.tsx";
import { fromViewFilters, readFilters, toApiQuery, toViewFilters, writeFilters, type QueueFilters as Filters } from "./queueFilters.ts";
import { useAssignToMe } from "./useAssignToMe.ts";
import { useDirectory } from "./useDirectory.ts";
import { useTicketSelection } from "./useTicketSelection.ts";
import { ViewsMenu } from "./ViewsMenu.tsx";

/** The agents' queue: server-side filters and sort, pages by cursor, live, driven from the keyboard, with bulk actions. */
export function QueuePage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const { user } = useSession();
  const search = params.toString();
  const filters = useMemo(() => readFilters(new URLSearchParams(search)), [search]);
  const apiQuery = useMemo(
    () => Object.fromEntries(Object.entries(toApiQuery(filters)).filter((e): e is [string, string] => e[1] !== undefined)),
    [filters],
  );
  const viewFilters = useMemo(() => toViewFilters(filters), [filters]);
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
  const selection = useTicketSelection(tickets);
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const resultsById = useMemo(() => new Map((outcome?.rows ?? []).map((r) => [r.id, r])), [outcome]);

  // The cursor (j/k) follows a ticket, not a row position, so live inserts do not move it.
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
    x: () => current && selection.toggle(current),
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

  const onBulkDone = (result: BulkOutcome) => {
    setOutcome(result);
    selection.keepOnly(result.rows.filter((r) => !r.ok).map((r) => r.id));
  };

  return (
    <main id="main" className="queue">
      <div className="page-head">
        <h1>Queue</h1>
        <p className="shortcuts muted" aria-label="Keyboard shortcuts">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> select · <kbd>Enter</kbd> open · <kbd>a</kbd> assign to me · <kbd>/</kbd> search
        </p>
        <div className="queue-tools">
          <ViewsMenu current={viewFilters} onApply={(v) => change(fromViewFilters(v.filters))} />
          <a className="button button-secondary" href={ticketExportUrl(viewFilters)} download>
            Export CSV
          </a>
        </div>
      </div>
      <QueueFilters filters={filters} onChange={change} staff={staff} teams={teams} searchRef={searchRef} />
      <p className="visually-hidden" role="status" aria-live="polite">
        {notice}
      </p>
      {notice && <p className="alert alert-info" aria-hidden="true">{notice}</p>}
      {selection.selected.length > 0 && (
        <BulkActionBar selected={selection.selected} staff={staff} me={user} onDone={onBulkDone} onClear={selection.clear} />
      )}
      <div role="status" aria-live="polite">
        {outcome && <BulkResults outcome={outcome} onDismiss={() => setOutcome(null)} />}
      </div>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorMessage error={list.error} title="The queue could not be loaded" />
      ) : tickets.length === 0 ? (
        <p className="empty">No tickets match this view.</p>
      ) : (
        <QueueTable
          tickets={tickets}
          selected={selected}
          onSelect={(i) => setSelectedId(tickets[i]?.id ?? null)}
          sort={filters.sort}
          onSort={(sort) => change({ sort })}
          now={now}
          selection={selection}
          results={resultsById}
        />
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
