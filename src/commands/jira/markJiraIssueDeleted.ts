import type { Db } from "../../db/client.js";
import { findLink, updateLink, type ExternalLinkRow } from "../../db/repositories/externalLinks.js";
import { loadTicketForJira } from "../../db/repositories/ticketForJira.js";
import { messages } from "../../db/schema/index.js";
import { SYSTEM_USER_ID, systemActor } from "../../domain/systemActor.js";
import { JIRA_CHANNEL } from "../../connectors/jira/constants.js";
import { isDeletedInJira } from "../../connectors/jira/linkExtras.js";
import { recordTicketEvents } from "../tickets/recordTicketEvents.js";

export const DELETED_IN_JIRA_ERROR = "Deleted in Jira";

/**
 * Marks the links of an issue that no longer exists in Jira: the link stays (agents still see
 * which issue it was) with `lastError` "Deleted in Jira" and a mark in its snapshot that stops
 * every sync of it, and each ticket gets one internal note and a `jira.issue_deleted` history
 * entry. One transaction per ticket, under the ticket's and then the link's row lock; a link
 * already marked is left alone, so running the full pass again adds nothing. Returns how many
 * links were newly marked.
 */
export async function markJiraIssueDeleted(db: Db, links: ExternalLinkRow[], now: Date): Promise<number> {
  let marked = 0;
  for (const candidate of [...links].sort((a, b) => a.ticketId.localeCompare(b.ticketId))) {
    marked += await db.transaction(async (tx) => {
      const loaded = await loadTicketForJira(tx, candidate.ticketId, { forUpdate: true });
      const link = await findLink(tx, candidate.id, { forUpdate: true });
      if (!loaded || !link || isDeletedInJira(link.snapshot)) return 0;
      const key = link.remoteKey ?? link.remoteId;
      const [message] = await tx
        .insert(messages)
        .values({
          ticketId: link.ticketId,
          authorId: SYSTEM_USER_ID,
          body: `The Jira issue ${key} was deleted in Jira (or the Jira user can no longer see it). This ticket no longer syncs with it; link another issue if the work moved.`,
          isInternal: true,
          channel: JIRA_CHANNEL,
          createdAt: now,
        })
        .returning({ id: messages.id });
      await updateLink(tx, link.id, { lastError: DELETED_IN_JIRA_ERROR, snapshot: { ...link.snapshot, deletedInJira: { at: now.toISOString(), key: link.remoteKey } } });
      await recordTicketEvents(
        tx,
        link.ticketId,
        systemActor,
        JIRA_CHANNEL,
        [
          { type: "jira.issue_deleted", to: { key: link.remoteKey, remoteId: link.remoteId, linkId: link.id } },
          { type: "note.added", to: { messageId: message!.id, attachments: 0, authorSide: "staff", isAutomated: true, source: "jira", key: link.remoteKey } },
        ],
        now,
      );
      return 1;
    });
  }
  return marked;
}
