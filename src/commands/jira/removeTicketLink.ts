import type { Db } from "../../db/client.js";
import { findLink } from "../../db/repositories/externalLinks.js";
import { findTicket } from "../../db/repositories/findTicket.js";
import { notFound } from "../../errors.js";
import type { Actor } from "../../policies/actor.js";
import { requireStaff } from "../../policies/ticketPolicy.js";
import { unlinkExternal } from "./unlinkExternal.js";

/** An agent removes one of a ticket's links; the remote object is left as it is. */
export async function removeTicketLink(options: { db: Db; actor: Actor; ticketRef: string; linkId: string; channel: string }): Promise<void> {
  requireStaff(options.actor);
  await options.db.transaction(async (tx) => {
    const ticket = await findTicket(tx, options.actor, options.ticketRef, { forUpdate: true });
    const link = await findLink(tx, options.linkId, { forUpdate: true });
    if (!link || link.ticketId !== ticket.id) throw notFound("link");
    await unlinkExternal(tx, [link], options.actor, options.channel, `unlinked by ${options.actor.name}`);
  });
}
