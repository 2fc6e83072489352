import { and, desc, eq, inArray } from "drizzle-orm";
import { ticketEvents } from "../schema/index.js";
import type { Executor } from "../client.js";
import type { Actor } from "../../policies/actor.js";

export type TicketEventInput = {
  type: string;
  field?: string | undefined;
  from?: unknown;
  to?: unknown;
};

/** Appends history rows; callers pass their transaction so the history commits with the change. */
export async function appendTicketEvents(
  tx: Executor,
  ticketId: string,
  actor: Actor | null,
  channel: string,
  events: TicketEventInput[],
  at?: Date,
): Promise<void> {
  if (events.length === 0) return;
  await tx.insert(ticketEvents).values(
    events.map((e) => ({
      ticketId,
      actorId: actor?.id ?? null,
      channel,
      type: e.type,
      field: e.field ?? null,
      fromValue: e.from ?? null,
      toValue: e.to ?? null,
      ...(at ? { createdAt: at } : {}),
    })),
  );
}

/** The latest of a ticket's history rows of these types (uses the ticket index). */
export async function latestEventOf(db: Executor, ticketId: string, types: string[]) {
  const [row] = await db
    .select({ type: ticketEvents.type, createdAt: ticketEvents.createdAt })
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticketId), inArray(ticketEvents.type, types)))
    .orderBy(desc(ticketEvents.id))
    .limit(1);
  return row;
}
