import { useMemo, useState } from "react";
import type { Ticket } from "../api/types.ts";

/**
 * The queue's ticked rows, for bulk actions. Kept by ticket id (not row position), so live
 * inserts and "Load more" do not shift it; the tickets shown are the freshest copies loaded.
 */
export function useTicketSelection(visible: Ticket[]) {
  const [picked, setPicked] = useState<ReadonlyMap<string, Ticket>>(new Map());
  const selected = useMemo(() => {
    const fresh = new Map(visible.map((t) => [t.id, t]));
    return [...picked.values()].map((t) => fresh.get(t.id) ?? t);
  }, [picked, visible]);
  const isAllSelected = visible.length > 0 && visible.every((t) => picked.has(t.id));
  const isSomeSelected = visible.some((t) => picked.has(t.id));

  const toggle = (ticket: Ticket) =>
    setPicked((prev) => {
      const next = new Map(prev);
      if (next.has(ticket.id)) next.delete(ticket.id);
      else next.set(ticket.id, ticket);
      return next;
    });

  /** Ticks every row on the page, or unticks them all when they already are. */
  const toggleAll = () =>
    setPicked((prev) => {
      const next = new Map(prev);
      const isEvery = visible.every((t) => next.has(t.id));
      for (const t of visible) {
        if (isEvery) next.delete(t.id);
        else next.set(t.id, t);
      }
      return next;
    });

  /** After a bulk action: what failed stays ticked, to retry or fix. */
  const keepOnly = (ids: readonly string[]) =>
    setPicked((prev) => new Map([...prev].filter(([id]) => ids.includes(id))));

  const clear = () => setPicked(new Map());

  return { selected, isSelected: (id: string) => picked.has(id), isAllSelected, isSomeSelected, toggle, toggleAll, keepOnly, clear };
}

export type TicketSelection = ReturnType<typeof useTicketSelection>;
