import { sql } from "drizzle-orm";
import { ticketSequences } from "../schema/index.js";
import type { Tx } from "../client.js";
import { formatTicketNumber, numberPrefixFor, type TicketSource } from "../../domain/ticketNumber.js";

/**
 * Allocates the next number for a source's prefix. The upsert holds the sequence row's lock
 * until the caller's transaction ends, and a rollback returns the number, so numbers are
 * gap-free per prefix (a PostgreSQL SEQUENCE would leave gaps on rollback).
 */
export async function allocateTicketNumber(tx: Tx, source: TicketSource): Promise<string> {
  const prefix = numberPrefixFor(source);
  const [row] = await tx
    .insert(ticketSequences)
    .values({ prefix, lastValue: 1 })
    .onConflictDoUpdate({ target: ticketSequences.prefix, set: { lastValue: sql`${ticketSequences.lastValue} + 1` } })
    .returning({ value: ticketSequences.lastValue });
  if (!row) throw new Error("ticket sequence upsert returned no row");
  return formatTicketNumber(prefix, row.value);
}
