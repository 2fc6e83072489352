import { z } from "zod";
import { organizations } from "../../../db/schema/index.js";
import { findConnectionById, listConnections } from "../../../db/repositories/connections.js";
import { defineJob } from "../../../jobs/defineJob.js";
import { checkStatusLimits } from "../../../commands/jira/checkStatusLimits.js";
import { syncOrganizationIssues } from "../../../commands/jira/syncOrganizationIssues.js";
import { JIRA_SYSTEM } from "../constants.js";
import { isJiraError } from "../errors.js";
import { currentJiraSettings } from "../jiraSettings.js";
import { openForJob, settleJiraFailure } from "../settleFailure.js";
import type { JiraJobOptions } from "./syncTicketJob.js";

export const ZSyncCustomers = z.object({ connectionId: z.uuid().optional(), organizationId: z.uuid().optional() });

/**
 * `jira.sync-customers`, every 30 minutes: refreshes every organization's Jira issues (or one
 * organization's, when named), catching issues that started matching (a label added, a saved
 * JQL that now finds more) and changes whose webhook was lost. One organization failing (say,
 * its saved JQL is invalid) is logged and the others go on.
 */
export function createSyncCustomersJob(options: JiraJobOptions = {}) {
  const settingsOf = options.settings ?? currentJiraSettings;
  return defineJob({
    name: "jira.sync-customers",
    payload: ZSyncCustomers,
    retry: { retryLimit: 2, retryDelaySeconds: 60, retryDelayMaxSeconds: 600, ...options.retry },
    expireInSeconds: 30 * 60,
    cron: "*/30 * * * *",
    async handler({ connectionId, organizationId }, ctx) {
      const rows = connectionId ? [await findConnectionById(ctx.db, connectionId)].filter((r) => r !== undefined) : await listConnections(ctx.db, JIRA_SYSTEM, ["active"]);
      const orgIds = organizationId ? [organizationId] : (await ctx.db.select({ id: organizations.id }).from(organizations)).map((o) => o.id);
      for (const row of rows) {
        if (row.status !== "active") continue;
        const rt = await openForJob(ctx.db, row, { secretKey: settingsOf().secretKey, log: ctx.log });
        if (!rt) continue;
        for (const id of orgIds) {
          try {
            const result = await syncOrganizationIssues(ctx.db, rt, id);
            ctx.log.debug(result, "Jira customer sync");
          } catch (e) {
            if (isJiraError(e) && (await settleJiraFailure(ctx.db, rt, e, [], ctx.log)) === "paused") return;
            ctx.log.warn({ organizationId: id, err: e }, "Jira customer sync failed for one organization");
          }
        }
      }
    },
  });
}

/** `jira.status-limits`, every five minutes: the time-in-status alerts. */
export function createStatusLimitsJob() {
  return defineJob({
    name: "jira.status-limits",
    payload: z.object({}),
    expireInSeconds: 5 * 60,
    cron: "*/5 * * * *",
    async handler(_payload, ctx) {
      for (const row of await listConnections(ctx.db, JIRA_SYSTEM)) {
        const { alerted } = await checkStatusLimits(ctx.db, row);
        if (alerted.length > 0) ctx.log.info({ connectionId: row.id, alerted }, "Jira issues over their time-in-status limit");
      }
    },
  });
}

export const syncCustomersJob = createSyncCustomersJob();
export const statusLimitsJob = createStatusLimitsJob();
