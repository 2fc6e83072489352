import type { Db } from "../../db/client.js";
import { findTicket, type TicketRow } from "../../db/repositories/findTicket.js";
import type { Actor } from "../../policies/actor.js";
import type { TicketChangeRequest } from "../../policies/ticketPolicy.js";
import { applyTicketChanges } from "./applyTicketChanges.js";

/** PATCH a ticket: lock it, apply the change, record history, all in one transaction. */
export async function updateTicket(options: {
  db: Db;
  actor: Actor;
  ticketRef: string;
  change: TicketChangeRequest;
  channel: string;
}): Promise<TicketRow> {
  return options.db.transaction(async (tx) => {
    const ticket = await findTicket(tx, options.actor, options.ticketRef, { forUpdate: true });
    return applyTicketChanges(tx, options.actor, ticket, options.change, options.channel);
  });
}
