import { eq, or } from "drizzle-orm";
import { tickets } from "../schema/index.js";
import type { Executor } from "../client.js";
import { notFound } from "../../errors.js";
import { looksLikeTicketNumber } from "../../domain/ticketNumber.js";
import { scoped } from "../../policies/ticketScope.js";
import type { Actor } from "../../policies/actor.js";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type TicketRow = typeof tickets.$inferSelect;

function refCondition(ref: string) {
  if (uuidPattern.test(ref)) return eq(tickets.id, ref);
  if (looksLikeTicketNumber(ref)) return eq(tickets.number, ref);
  return undefined;
}

/**
 * Loads a ticket by id or number within the actor's scope; 404 otherwise.
 * `forUpdate` takes the row lock so concurrent changes to one ticket serialise.
 */
export async function findTicket(
  db: Executor,
  actor: Actor,
  ref: string,
  options: { forUpdate?: boolean } = {},
): Promise<TicketRow> {
  const condition = refCondition(ref);
  if (!condition) throw notFound("ticket");
  const query = db.select().from(tickets).where(scoped(actor, condition)).limit(1);
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound("ticket");
  return row;
}

/** Loads several tickets by id or number within scope, locking them in id order to avoid deadlocks. */
export async function findTicketsForUpdate(db: Executor, actor: Actor, refs: string[]): Promise<TicketRow[]> {
  const conditions = refs.map(refCondition).filter((c) => c !== undefined);
  if (conditions.length === 0) return [];
  return db
    .select()
    .from(tickets)
    .where(scoped(actor, or(...conditions)))
    .orderBy(tickets.id)
    .for("update");
}

export const ticketRefIs = (row: TicketRow, ref: string): boolean => row.id === ref || row.number === ref;
