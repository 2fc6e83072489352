import { Readable } from "node:stream";
import { fileTypeFromBuffer } from "file-type";
import type { Db } from "../../db/client.js";
import type { ExternalLinkRow } from "../../db/repositories/externalLinks.js";
import type { Logger } from "../../logger.js";
import { AttachmentStore, type StoredFile } from "../../storage/attachmentStore.js";
import { classifyAttachment } from "../../domain/attachmentType.js";
import { addJiraAttachmentNote, type JiraAttachmentNote } from "../../commands/jira/addJiraAttachmentNote.js";
import { isJiraError } from "./errors.js";
import { currentJiraSettings } from "./jiraSettings.js";
import { issueAttachments, seenAttachments, type IssueAttachment } from "./linkExtras.js";
import type { JiraRuntime } from "./runtime.js";
import { settleJiraFailure } from "./settleFailure.js";
import { parseJiraTime, type JiraIssue } from "./types.js";

/**
 * Links made before files were tracked have no list; for them a file is news only when Jira dated
 * it clearly after the link (clocks differ), since an escalation's own uploads come just before.
 */
const LINK_SKEW_MS = 60_000;

/** Which of the issue's files are news for this link. */
function newFor(link: ExternalLinkRow, files: IssueAttachment[]): IssueAttachment[] {
  const seen = seenAttachments(link.snapshot);
  if (seen) return files.filter((f) => !seen.has(f.id));
  const since = link.createdAt.getTime() + LINK_SKEW_MS;
  return files.filter((f) => (parseJiraTime(f.created)?.getTime() ?? -Infinity) >= since);
}

function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Fetches one file (once for every linked ticket) and stores it by content; what the note should
 * say instead when it cannot be copied. Retryable and pausing Jira errors propagate, so the job is
 * retried or the connection paused; any other refusal is said in the note, once.
 */
async function fetchFile(rt: JiraRuntime, file: IssueAttachment, store: AttachmentStore, maxBytes: number): Promise<JiraAttachmentNote["outcome"]> {
  const limit = `larger than the ${sizeOf(maxBytes)} limit for ticket attachments`;
  if (file.size !== null && file.size > maxBytes) return { kind: "not_copied", reason: `${sizeOf(file.size)}, ${limit}` };
  let download;
  try {
    download = await rt.client.downloadAttachment({ id: file.id, filename: file.filename }, { maxBytes });
  } catch (e) {
    if (isJiraError(e) && !e.retryable && !e.pausesConnection) return { kind: "not_copied", reason: `Jira refused the download (${e.message})` };
    throw e;
  }
  if (download.kind === "too_large") return { kind: "not_copied", reason: download.size ? `${sizeOf(download.size)}, ${limit}` : limit };
  if (download.data.byteLength === 0) return { kind: "not_copied", reason: "the file is empty" };
  const received: StoredFile = await store.receive(Readable.from([Buffer.from(download.data)]));
  try {
    const head = await store.head(received.tempPath);
    const verdict = classifyAttachment(file.filename, (await fileTypeFromBuffer(head))?.mime, head);
    if (!verdict.ok) return { kind: "not_copied", reason: verdict.reason };
    await store.commit(received);
    return { kind: "stored", contentType: verdict.contentType, sizeBytes: received.sizeBytes, sha256: received.sha256 };
  } finally {
    await store.discard(received);
  }
}

/**
 * Files added to a Jira issue become internal notes with the file on every linked ticket: "Attachment
 * added in Jira by X: file.pdf". Works from the issue's current `attachment` list, not from the
 * event, so a webhook (`attachment_created`, or the `jira:issue_updated` Jira sends with it), a
 * redelivery and the reconcile poll all come here and each file arrives once per ticket: the ids
 * a link has dealt with are kept in its snapshot, and the files of an escalated issue (our own
 * uploads) are in that list from the start. A file over the ticket attachment limit, or of a
 * type tickets do not accept, becomes a note saying so instead.
 */
export async function syncIssueAttachments(db: Db, rt: JiraRuntime, links: ExternalLinkRow[], issue: JiraIssue, log: Logger): Promise<"synced" | "paused"> {
  const files = issueAttachments(issue.fields);
  if (files.length === 0 || links.length === 0) return "synced";
  const wanted = new Map<string, IssueAttachment>();
  for (const link of links) for (const f of newFor(link, files)) wanted.set(f.id, f);
  const settings = currentJiraSettings();
  const store = new AttachmentStore(settings.dataDir);
  const outcomes = new Map<string, JiraAttachmentNote["outcome"]>();
  try {
    for (const file of wanted.values()) outcomes.set(file.id, await fetchFile(rt, file, store, settings.attachmentMaxBytes ?? 10 * 1024 * 1024));
  } catch (e) {
    return (await settleJiraFailure(db, rt, e, links, log)) === "paused" ? "paused" : "synced";
  }
  const listed = files.map((f) => f.id);
  for (const link of links) {
    const notes = newFor(link, files).flatMap((f) => {
      const outcome = outcomes.get(f.id);
      return outcome ? [{ file: f, outcome }] : [];
    });
    const added = await addJiraAttachmentNote(db, { linkId: link.id, issueKey: issue.key, notes, listed, now: new Date() });
    if (added > 0) log.debug({ key: issue.key, ticketId: link.ticketId, added }, "Jira attachments copied to a ticket");
  }
  return "synced";
}
