import { z } from "zod";
import { linksOfTicket } from "../../../db/repositories/externalLinks.js";
import { defineJob, type RetryPolicy } from "../../../jobs/defineJob.js";
import { JIRA_SYSTEM } from "../constants.js";
import { isDeletedInJira } from "../linkExtras.js";
import { currentJiraSettings, type JiraSettings } from "../jiraSettings.js";
import { pushTicketToIssue } from "../outbound.js";
import { openForJob, settleJiraFailure } from "../settleFailure.js";

export const ZSyncTicket = z.object({ ticketId: z.uuid() });

export type JiraJobOptions = { retry?: Partial<RetryPolicy>; settings?: () => JiraSettings };

/**
 * `jira.sync-ticket`: pushes a ticket's field changes (status, priority, summary, custom fields…
 * as the ownership allows) to every Jira issue it is linked to. It works from state (the diff
 * against each link's snapshot), not from the event that enqueued it, so a duplicate or late
 * run pushes nothing twice, and one run catches up every change made before it.
 */
export function createSyncTicketJob(options: JiraJobOptions = {}) {
  const settingsOf = options.settings ?? currentJiraSettings;
  return defineJob({
    name: "jira.sync-ticket",
    payload: ZSyncTicket,
    ...(options.retry ? { retry: options.retry } : {}),
    expireInSeconds: 5 * 60,
    async handler({ ticketId }, ctx) {
      let retry: unknown = null;
      for (const { link, connection } of await linksOfTicket(ctx.db, ticketId, JIRA_SYSTEM)) {
        // Paused: resumeJiraConnection pushes every linked ticket once an admin fixes it.
        if (connection.status !== "active") continue;
        // The issue was deleted in Jira (the full pass marked the link): nothing to push to.
        if (isDeletedInJira(link.snapshot)) continue;
        const rt = await openForJob(ctx.db, connection, { secretKey: settingsOf().secretKey, log: ctx.log });
        if (!rt) continue;
        try {
          const result = await pushTicketToIssue(ctx.db, rt, link.id);
          if (result.pushed.length > 0) ctx.log.debug({ key: link.remoteKey, fields: result.pushed }, "pushed ticket changes to Jira");
        } catch (e) {
          try {
            await settleJiraFailure(ctx.db, rt, e, [link], ctx.log);
          } catch (again) {
            retry ??= again;
          }
        }
      }
      if (retry) throw retry;
    },
  });
}

export const syncTicketJob = createSyncTicketJob();
