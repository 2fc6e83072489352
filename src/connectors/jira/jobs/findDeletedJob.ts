import { z } from "zod";
import type { Db } from "../../../db/client.js";
import { findConnectionById, listConnections } from "../../../db/repositories/connections.js";
import { defineJob } from "../../../jobs/defineJob.js";
import type { Logger } from "../../../logger.js";
import { JIRA_SYSTEM } from "../constants.js";
import { findDeletedIssues, type DeletedPassResult } from "../deletedIssues.js";
import { currentJiraSettings, type JiraSettings } from "../jiraSettings.js";
import { openForJob } from "../settleFailure.js";
import type { JiraJobOptions } from "./syncTicketJob.js";

export const ZFindDeleted = z.object({ connectionId: z.uuid().optional() });

/** The full pass over every active connection (or one): callable directly, and what the job runs. */
export async function runDeletedIssuesPass(db: Db, input: { connectionId?: string; settings: JiraSettings; log: Logger; now?: Date }): Promise<Map<string, DeletedPassResult>> {
  const rows = input.connectionId ? [await findConnectionById(db, input.connectionId)].filter((r) => r !== undefined) : await listConnections(db, JIRA_SYSTEM, ["active"]);
  const results = new Map<string, DeletedPassResult>();
  for (const row of rows) {
    if (row.status !== "active") continue;
    const rt = await openForJob(db, row, { secretKey: input.settings.secretKey, log: input.log });
    if (!rt) continue;
    results.set(row.id, await findDeletedIssues(db, rt, input.log, input.now));
  }
  return results;
}

/**
 * `jira.find-deleted`, daily (a pg-boss schedule): finds linked issues deleted in Jira whose
 * webhook never came (the reconcile poll cannot see deletions) and marks their links
 * (deletedIssues.ts). Also queued by hand with a connection id.
 */
export function createFindDeletedJob(options: JiraJobOptions = {}) {
  const settingsOf = options.settings ?? currentJiraSettings;
  return defineJob({
    name: "jira.find-deleted",
    payload: ZFindDeleted,
    ...(options.retry ? { retry: options.retry } : { retry: { retryLimit: 3, retryDelaySeconds: 300, retryDelayMaxSeconds: 3600 } }),
    expireInSeconds: 30 * 60,
    cron: "41 3 * * *",
    async handler({ connectionId }, ctx) {
      const results = await runDeletedIssuesPass(ctx.db, { ...(connectionId ? { connectionId } : {}), settings: settingsOf(), log: ctx.log });
      for (const [id, r] of results) ctx.log.info({ connectionId: id, ...r }, "Jira full pass for deleted issues");
    },
  });
}

export const findDeletedJob = createFindDeletedJob();
