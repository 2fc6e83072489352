import type { Db } from "../../db/client.js";
import { markLinksFailed, type ExternalLinkRow } from "../../db/repositories/externalLinks.js";
import { hasCurrentQueue } from "../../jobs/queue.js";
import { enqueue } from "../../jobs/enqueue.js";
import type { Logger } from "../../logger.js";
import { applyJiraIssue } from "../../commands/jira/applyJiraIssue.js";
import { isJiraError } from "./errors.js";
import { syncIssueAttachments } from "./inboundAttachments.js";
import { issueFieldsFor } from "./issueFields.js";
import { isDeletedInJira } from "./linkExtras.js";
import { syncTicketJob } from "./jobs/syncTicketJob.js";
import type { JiraRuntime } from "./runtime.js";
import { settleJiraFailure } from "./settleFailure.js";
import { viewIssue, type JiraComment, type JiraIssue } from "./types.js";

/**
 * Brings every ticket linked to one Jira issue up to date with the issue as Jira holds it now.
 * The issue and its comments are always fetched (a webhook body may be partial, stale, reordered
 * or forged), so a duplicate or out-of-order delivery only repeats an idempotent comparison.
 * Each ticket is applied in its own transaction under its row lock; one that fails is marked on
 * its link and the others still go ahead. Throws when the whole thing should be retried.
 */
export async function syncIssueFromJira(db: Db, rt: JiraRuntime, allLinks: ExternalLinkRow[], log: Logger, prefetched?: JiraIssue): Promise<"synced" | "paused" | "gone"> {
  // A link whose issue the full pass found deleted is not synced any more (deletedIssues.ts).
  const links = allLinks.filter((l) => !isDeletedInJira(l.snapshot));
  if (links.length === 0) return "synced";
  let raw: JiraIssue;
  let comments: JiraComment[];
  try {
    raw = prefetched ?? (await rt.client.getIssue(links[0]!.remoteId, { fields: issueFieldsFor(rt.mapping) }));
    comments = await rt.client.listComments(raw.id);
  } catch (e) {
    const outcome = await settleJiraFailure(db, rt, e, links, log);
    return outcome === "paused" ? "paused" : isJiraError(e) && e.kind === "not_found" ? "gone" : "synced";
  }
  const issue = viewIssue(raw);
  let failure: unknown = null;
  for (const [i, link] of links.entries()) {
    try {
      await db.transaction(async (tx) => {
        const result = await applyJiraIssue(tx, {
          connectionId: rt.row.id,
          linkId: link.id,
          mapping: rt.mapping,
          deployment: rt.connection.deployment,
          baseUrl: rt.connection.baseUrl,
          issue,
          comments,
          noticeFollowers: i === 0,
          now: new Date(),
        });
        // A ticket change that never reached Jira (the push failed, or came while paused): push it now.
        if (result.wantsPush && hasCurrentQueue()) await enqueue(tx, syncTicketJob, { ticketId: link.ticketId });
      });
    } catch (e) {
      log.warn({ err: e, linkId: link.id, ticketId: link.ticketId }, "applying a Jira issue to a ticket failed");
      await markLinksFailed(db, [link.id], e instanceof Error ? e.message : String(e));
      failure ??= e;
    }
  }
  // New files on the issue become notes with the file (inboundAttachments.ts).
  if ((await syncIssueAttachments(db, rt, links, raw, log)) === "paused") return "paused";
  if (failure) throw failure;
  return "synced";
}
