import type { Db } from "../../db/client.js";
import { findLink, updateLink } from "../../db/repositories/externalLinks.js";
import type { TicketEventInput } from "../../db/repositories/ticketEvents.js";
import { loadTicketForJira } from "../../db/repositories/ticketForJira.js";
import { attachments, messages } from "../../db/schema/index.js";
import { SYSTEM_USER_ID, systemActor } from "../../domain/systemActor.js";
import { JIRA_CHANNEL } from "../../connectors/jira/constants.js";
import { isDeletedInJira, seenAttachments, withSeenAttachments, type IssueAttachment } from "../../connectors/jira/linkExtras.js";
import { recordTicketEvents } from "../tickets/recordTicketEvents.js";

export type JiraAttachmentNote = {
  file: IssueAttachment;
  outcome: { kind: "stored"; contentType: string; sizeBytes: number; sha256: string } | { kind: "not_copied"; reason: string };
};

export function attachmentNoteBody(issueKey: string, note: JiraAttachmentNote): string {
  const by = note.file.authorName ?? "someone";
  const line = `Attachment added in Jira by ${by}: ${note.file.filename}`;
  return note.outcome.kind === "stored" ? `${line} (${issueKey})` : `${line} (${issueKey}). Not copied here: ${note.outcome.reason}. Open the issue in Jira to get it.`;
}

/**
 * Writes the notes for files new on a linked Jira issue to one ticket, in one transaction under
 * the ticket's and then the link's row lock (the order every writer uses). The link's record of
 * the files it has dealt with is re-read under the lock, so two jobs for the same issue never add
 * a file twice; afterwards it holds every file the issue listed. The notes are internal, by the
 * system user on channel `jira` (so nothing is sent back to Jira), with the file attached when it
 * was copied. Returns how many notes were added.
 */
export async function addJiraAttachmentNote(db: Db, input: { linkId: string; issueKey: string; notes: JiraAttachmentNote[]; listed: string[]; now: Date }): Promise<number> {
  return db.transaction(async (tx) => {
    const pre = await findLink(tx, input.linkId);
    if (!pre) return 0;
    const loaded = await loadTicketForJira(tx, pre.ticketId, { forUpdate: true });
    const link = await findLink(tx, input.linkId, { forUpdate: true });
    if (!loaded || !link || isDeletedInJira(link.snapshot)) return 0;
    const seen = seenAttachments(link.snapshot) ?? new Set<string>();
    const events: TicketEventInput[] = [];
    for (const note of input.notes) {
      if (seen.has(note.file.id)) continue;
      seen.add(note.file.id);
      const [message] = await tx
        .insert(messages)
        .values({ ticketId: loaded.ticket.id, authorId: SYSTEM_USER_ID, body: attachmentNoteBody(input.issueKey, note), isInternal: true, channel: JIRA_CHANNEL, externalId: `attachment:${note.file.id}`, createdAt: input.now })
        .returning({ id: messages.id });
      let files = 0;
      if (note.outcome.kind === "stored") {
        const [row] = await tx
          .insert(attachments)
          .values({
            ticketId: loaded.ticket.id,
            messageId: message!.id,
            filename: note.file.filename,
            contentType: note.outcome.contentType,
            sizeBytes: note.outcome.sizeBytes,
            sha256: note.outcome.sha256,
            isInternal: true,
            uploadedById: SYSTEM_USER_ID,
          })
          .returning({ id: attachments.id });
        events.push({ type: "attachment.added", to: { id: row!.id, filename: note.file.filename, sizeBytes: note.outcome.sizeBytes, internal: true } });
        files = 1;
      }
      // Like a developer's comment, not our agents' response: it must not stop a response clock.
      events.push({ type: "note.added", to: { messageId: message!.id, attachments: files, authorSide: "staff", isAutomated: true, source: "jira", key: input.issueKey, remoteAttachmentId: note.file.id } });
    }
    if (events.length > 0) await recordTicketEvents(tx, loaded.ticket.id, systemActor, JIRA_CHANNEL, events, input.now);
    await updateLink(tx, link.id, { snapshot: withSeenAttachments(link.snapshot, [...seen, ...input.listed]) });
    return events.filter((e) => e.type === "note.added").length;
  });
}
