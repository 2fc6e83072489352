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
