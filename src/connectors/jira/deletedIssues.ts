import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { linksOfRemote } from "../../db/repositories/externalLinks.js";
import { externalLinks } from "../../db/schema/index.js";
import type { Logger } from "../../logger.js";
import { markJiraIssueDeleted } from "../../commands/jira/markJiraIssueDeleted.js";
import { isJiraError } from "./errors.js";
import { isDeletedInJira } from "./linkExtras.js";
import type { JiraRuntime } from "./runtime.js";
import { settleJiraFailure } from "./settleFailure.js";

/** Ids asked about per call: the bulk fetch's limit on Cloud. */
const BATCH = 100;

export type DeletedPassResult = { checked: number; deleted: number; marked: number; outcome: "done" | "paused" };

/** Linked issues not yet known to be deleted, by id, in a stable order. */
async function linkedIssueIds(db: Db, connectionId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ remoteId: externalLinks.remoteId })
    .from(externalLinks)
    .where(and(eq(externalLinks.connectionId, connectionId), sql`${externalLinks.snapshot} -> 'deletedInJira' is null`))
    .orderBy(asc(externalLinks.remoteId));
  return rows.map((r) => r.remoteId);
}

/**
 * The full pass the reconcile poll cannot do (`updated >= watermark` never returns a deleted
 * issue): every linked issue is looked up in batches (Cloud: `POST /rest/api/3/issue/bulkfetch`,
 * which leaves out issues that do not exist; DC: one GET each), and each one missing is confirmed
 * with its own GET (404) before its links are marked "Deleted in Jira" (markJiraIssueDeleted), so
 * a hiccup in a batch never marks a live issue. Marked links are skipped by every sync and by the
 * next pass, so running it twice changes nothing more. Jira's 404 also covers an issue the Jira
 * user lost access to; the note says so.
 */
export async function findDeletedIssues(db: Db, rt: JiraRuntime, log: Logger, now: Date = new Date()): Promise<DeletedPassResult> {
  const ids = await linkedIssueIds(db, rt.row.id);
  const result: DeletedPassResult = { checked: 0, deleted: 0, marked: 0, outcome: "done" };
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    let existing: Set<string>;
    try {
      existing = await rt.client.existingIssueIds(batch);
    } catch (e) {
      if ((await settleJiraFailure(db, rt, e, [], log)) === "paused") return { ...result, outcome: "paused" };
      throw e;
    }
    result.checked += batch.length;
    for (const id of batch.filter((b) => !existing.has(b))) {
      try {
        await rt.client.getIssue(id, { fields: ["status"] });
        continue;
      } catch (e) {
        if (!(isJiraError(e) && e.kind === "not_found")) {
          if ((await settleJiraFailure(db, rt, e, [], log)) === "paused") return { ...result, outcome: "paused" };
          throw e;
        }
      }
      const links = (await linksOfRemote(db, rt.row.id, { id })).filter((l) => !isDeletedInJira(l.snapshot));
      result.deleted++;
      result.marked += await markJiraIssueDeleted(db, links, now);
      log.info({ connectionId: rt.row.id, remoteId: id, key: links[0]?.remoteKey, tickets: links.length }, "Jira issue deleted; its links are marked and no longer synced");
    }
  }
  return result;
}
