import type { Executor } from "../client.js";
import type { Actor } from "../../policies/actor.js";
import { listTickets, type TicketFilters, type TicketListRow, type TicketSort } from "./listTickets.js";

/** Big enough to keep round trips few, small enough that one batch stays a few hundred KB. */
const batchSize = 500;

/**
 * Every ticket the list would show for these filters, in the list's order, fetched page by page
 * with the list's own keyset cursor: the same query, scope and sort as `GET /tickets`, and never
 * more than one batch in memory. Each batch is its own statement, not one snapshot: a transaction
 * held open while a slow client downloads would hold a connection (on PGlite, the only one).
 * The keyset cursor still never repeats or skips a ticket that stays put.
 */
export async function* walkTickets(db: Executor, actor: Actor, options: { filters: TicketFilters; sort: TicketSort }): AsyncGenerator<TicketListRow> {
  let cursor: string | undefined;
  do {
    const page = await listTickets(db, actor, { ...options, limit: batchSize, cursor });
    yield* page.rows;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
