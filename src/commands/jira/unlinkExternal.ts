import type { Executor } from "../../db/client.js";
import { deleteLinks, type ExternalLinkRow } from "../../db/repositories/externalLinks.js";
import type { Actor } from "../../policies/actor.js";
import { recordTicketEvents } from "../tickets/recordTicketEvents.js";

/**
 * Removes links and says so in each ticket's history: by an agent, or by the connector when the
 * remote object is gone (DESIGN.md §7 "not-found unlinks with a history entry").
 */
export async function unlinkExternal(tx: Executor, links: ExternalLinkRow[], actor: Actor, channel: string, reason: string): Promise<ExternalLinkRow[]> {
  const removed = await deleteLinks(tx, links.map((l) => l.id));
  for (const link of removed) {
    await recordTicketEvents(tx, link.ticketId, actor, channel, [{ type: "jira.unlinked", to: { key: link.remoteKey, remoteId: link.remoteId, reason } }]);
  }
  return removed;
}
