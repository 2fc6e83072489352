import type { Db } from "../../db/client.js";
import { markLinksFailed, type ExternalLinkRow } from "../../db/repositories/externalLinks.js";
import type { Logger } from "../../logger.js";
import { pauseJiraConnection } from "../../commands/jira/pauseJiraConnection.js";
import { markJiraIssueDeleted } from "../../commands/jira/markJiraIssueDeleted.js";
import { isJiraError, JiraError } from "./errors.js";
import { openJiraRuntime, type JiraRuntime } from "./runtime.js";
import type { ConnectionRow } from "../../db/repositories/connections.js";

/**
 * What a job does with a failed Jira call, by its class (DESIGN.md §7):
 * - rate limited / remote down: noted on the links and rethrown, so the queue retries with
 *   backoff (the transport's cool-down keeps this process from calling before Retry-After);
 * - auth failed / mapping or config invalid: the connection is paused and admins are told; the
 *   work is picked up again when an admin fixes the connection (resumeJiraConnection);
 * - not found: when the issue itself is gone (checked, since Jira also answers 404 for a missing
 *   comment or a non-JSM request), the links are marked "Deleted in Jira" with a note on each
 *   ticket (markJiraIssueDeleted); otherwise the link is marked as failing;
 * - anything else: this link is marked as failing and the job ends: one broken ticket never
 *   blocks the others, and the next change tries again.
 * Returns "paused" when the connection was paused (callers stop calling Jira).
 */
export async function settleJiraFailure(db: Db, rt: JiraRuntime, error: unknown, links: ExternalLinkRow[], log: Logger): Promise<"paused" | "settled"> {
  if (!isJiraError(error)) throw error;
  if (error.retryable) {
    // Shown on the links until a sync works again; the queue retries.
    await markLinksFailed(db, links.map((l) => l.id), error.message);
    throw error;
  }
  if (error.pausesConnection) {
    const changed = await pauseJiraConnection(db, rt.row.id, error);
    log.warn({ connectionId: rt.row.id, kind: error.kind, changed }, "Jira connection paused");
    return "paused";
  }
  if (error.kind === "not_found" && links.length > 0) {
    const gone = await issueIsGone(rt, links[0]!.remoteId);
    if (gone === true) {
      // As the daily full pass does (deletedIssues.ts): the link stays, so agents see which issue it was.
      await markJiraIssueDeleted(db, links, new Date());
      log.info({ remoteId: links[0]!.remoteId, tickets: links.length }, "Jira issue gone; its links are marked and no longer synced");
      return "settled";
    }
    if (gone instanceof JiraError) return settleJiraFailure(db, rt, gone, links, log);
  }
  await markLinksFailed(db, links.map((l) => l.id), error.message);
  log.warn({ err: error, links: links.map((l) => l.id) }, "Jira refused a sync for these links; marked as failing");
  return "settled";
}

async function issueIsGone(rt: JiraRuntime, remoteId: string): Promise<boolean | JiraError> {
  try {
    await rt.client.getIssue(remoteId, { fields: ["status"] });
    return false;
  } catch (e) {
    if (isJiraError(e)) return e.kind === "not_found" ? true : e;
    throw e;
  }
}

/**
 * Opens a connection for a job, pausing it (config_invalid) when it cannot be opened at all: a
 * changed secret key or a damaged row fails the same way on every retry. Null means "paused".
 */
export async function openForJob(db: Db, row: ConnectionRow, deps: { secretKey: Buffer; log: Logger }): Promise<JiraRuntime | null> {
  try {
    return openJiraRuntime(db, row, deps);
  } catch (e) {
    if (!(isJiraError(e) && e.pausesConnection)) throw e;
    await pauseJiraConnection(db, row.id, e);
    deps.log.warn({ connectionId: row.id, err: e }, "Jira connection cannot be opened; paused");
    return null;
  }
}
