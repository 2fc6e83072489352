import { DateTime } from "luxon";
import { z } from "zod";
import type { Db } from "../../../db/client.js";
import { findConnectionById, listConnections, updateConnection } from "../../../db/repositories/connections.js";
import { linkedRemotes, linkedTicketIds, linksOfRemote } from "../../../db/repositories/externalLinks.js";
import { ticketsWithUnsentMessages } from "../../../db/repositories/externalComments.js";
import { enqueueMany } from "../../../jobs/enqueue.js";
import { postCommentsJob } from "./postCommentsJob.js";
import { queueDynamicWebhookCheck } from "./dynamicWebhooksJob.js";
import { usesDynamicWebhooks, webhookCheckDue } from "../dynamicWebhooks.js";
import { syncTicketJob } from "./syncTicketJob.js";
import { defineJob } from "../../../jobs/defineJob.js";
import type { Logger } from "../../../logger.js";
import { jqlString } from "../client.js";
import { JIRA_SYSTEM } from "../constants.js";
import { isJiraError } from "../errors.js";
import { syncIssueFromJira } from "../inbound.js";
import { issueFieldsFor } from "../issueFields.js";
import { currentJiraSettings } from "../jiraSettings.js";
import type { JiraRuntime } from "../runtime.js";
import { openForJob, settleJiraFailure } from "../settleFailure.js";
import type { JiraJobOptions } from "./syncTicketJob.js";

export const ZReconcile = z.object({
  connectionId: z.uuid().optional(),
  /** After an admin fixed a paused connection: also push every linked ticket and post every unsent message. */
  resume: z.boolean().optional(),
});

/** Polls overlap by a minute: JQL dates have minute precision and clocks drift. */
const OVERLAP_MS = 60_000;
/** A connection's first poll looks this far back. */
const FIRST_POLL_MS = 24 * 3600_000;

/** JQL reads dates in the Jira user's zone, to the minute. */
export function jqlDate(at: Date, zone: string | undefined): string {
  const dt = DateTime.fromJSDate(at, { zone: zone ?? "UTC" });
  return (dt.isValid ? dt : DateTime.fromJSDate(at, { zone: "UTC" })).toFormat("yyyy-MM-dd HH:mm");
}

/**
 * The zone JQL dates are read in. Learnt when the connection was checked; a connection made from
 * JIRA_* variables has not been, so ask once: read as UTC, a zone west of it would skip changes.
 */
async function jiraUserZone(db: Db, rt: JiraRuntime): Promise<string | undefined> {
  if (rt.settings.remote.timeZone) return rt.settings.remote.timeZone;
  const zone = (await rt.client.myself()).timeZone;
  if (typeof zone !== "string") return undefined;
  rt.settings.remote.timeZone = zone;
  // Not updatedAt: that marks an admin's change and renews the cached client.
  await updateConnection(db, rt.row.id, { settings: { ...(rt.row.settings as Record<string, unknown>), remote: { ...rt.settings.remote } } });
  return zone;
}

/**
 * One incremental poll of a connection: every issue in the linked issues' projects updated since
 * the watermark (less the overlap), page by page, goes through the same sync as a webhook. The
 * watermark moves to the poll's start only when every linked issue it found was synced, so an
 * issue that failed is looked at again next time.
 */
export async function reconcileConnection(db: Db, rt: JiraRuntime, log: Logger): Promise<{ issues: number; synced: number }> {
  const startedAt = new Date();
  const remotes = await linkedRemotes(db, rt.row.id);
  if (remotes.length === 0) {
    await updateConnection(db, rt.row.id, { syncedUntil: startedAt, lastSyncAt: startedAt });
    return { issues: 0, synced: 0 };
  }
  const linked = new Set(remotes.map((r) => r.remoteId));
  const projects = new Set([rt.connection.projectKey, ...remotes.flatMap((r) => (r.remoteKey ? [r.remoteKey.replace(/-\d+$/, "")] : []))]);
  const since = new Date((rt.row.syncedUntil?.getTime() ?? startedAt.getTime() - FIRST_POLL_MS) - OVERLAP_MS);
  let zone: string | undefined;
  try {
    zone = await jiraUserZone(db, rt);
  } catch (e) {
    if (isJiraError(e) && (await settleJiraFailure(db, rt, e, [], log)) === "paused") return { issues: 0, synced: 0 };
    throw e;
  }
  const jql = `project in (${[...projects].sort().map(jqlString).join(", ")}) AND updated >= ${jqlString(jqlDate(since, zone))} ORDER BY updated ASC`;
  let pageToken: string | null = null;
  let issues = 0;
  let synced = 0;
  let complete = true;
  do {
    let page;
    try {
      page = await rt.client.search({ jql, fields: issueFieldsFor(rt.mapping), maxResults: 50, pageToken });
    } catch (e) {
      if (isJiraError(e) && (await settleJiraFailure(db, rt, e, [], log)) === "paused") return { issues, synced };
      throw e;
    }
    for (const issue of page.issues) {
      issues++;
      if (!linked.has(issue.id)) continue;
      try {
        const outcome = await syncIssueFromJira(db, rt, await linksOfRemote(db, rt.row.id, { id: issue.id }), log, issue);
        if (outcome === "paused") return { issues, synced };
        synced++;
      } catch (e) {
        complete = false;
        log.warn({ err: e, key: issue.key }, "reconcile could not sync an issue; it is looked at again next time");
      }
    }
    pageToken = page.nextPageToken;
  } while (pageToken);
  if (complete) await updateConnection(db, rt.row.id, { syncedUntil: startedAt, lastSyncAt: new Date() });
  else await updateConnection(db, rt.row.id, { lastSyncAt: new Date() });
  return { issues, synced };
}

/**
 * The work a pause left undone, from state rather than from the jobs that gave up: every linked
 * ticket is pushed once (the diff finds what Jira has not seen) and every ticket with unsent staff
 * messages has them posted, oldest first, so paused work resumes in order.
 */
async function requeuePausedWork(db: Db, rt: JiraRuntime, log: Logger): Promise<void> {
  const tickets = await linkedTicketIds(db, rt.row.id);
  const withMessages = await ticketsWithUnsentMessages(db, rt.row.id, rt.mapping.comments);
  // 200 jobs per statement; each job's own order of work (oldest message first) does the rest.
  for (let i = 0; i < tickets.length; i += 200) {
    await db.transaction((tx) => enqueueMany(tx, syncTicketJob, tickets.slice(i, i + 200).map((ticketId) => ({ ticketId }))));
  }
  for (let i = 0; i < withMessages.length; i += 200) {
    await db.transaction((tx) => enqueueMany(tx, postCommentsJob, withMessages.slice(i, i + 200).map((ticketId) => ({ ticketId, connectionId: rt.row.id }))));
  }
  log.info({ connectionId: rt.row.id, tickets: tickets.length, withMessages: withMessages.length }, "Jira connection resumed; paused work queued again");
}

/**
 * `jira.reconcile`, every five minutes (a pg-boss schedule): catches changes whose webhook was
 * lost (DESIGN.md §7 "Reconcile"). With a connection id it polls that one connection now (the
 * catch-up after an admin resumes it).
 */
export function createReconcileJob(options: JiraJobOptions = {}) {
  const settingsOf = options.settings ?? currentJiraSettings;
  return defineJob({
    name: "jira.reconcile",
    payload: ZReconcile,
    ...(options.retry ? { retry: options.retry } : { retry: { retryLimit: 2, retryDelaySeconds: 30, retryDelayMaxSeconds: 120 } }),
    expireInSeconds: 10 * 60,
    cron: "*/5 * * * *",
    async handler({ connectionId, resume }, ctx) {
      const rows = connectionId ? [await findConnectionById(ctx.db, connectionId)].filter((r) => r !== undefined) : await listConnections(ctx.db, JIRA_SYSTEM, ["active"]);
      for (const row of rows) {
        if (row.status !== "active") continue;
        const rt = await openForJob(ctx.db, row, { secretKey: settingsOf().secretKey, log: ctx.log });
        if (!rt) continue;
        if (resume) await requeuePausedWork(ctx.db, rt, ctx.log);
        // A fresh start (or lost record) of an OAuth connection: register its webhook without waiting for the daily run.
        if (usesDynamicWebhooks(rt) && webhookCheckDue(row.settings, new Date())) await ctx.db.transaction((tx) => queueDynamicWebhookCheck(tx, row.id));
        const result = await reconcileConnection(ctx.db, rt, ctx.log);
        ctx.log.debug({ connectionId: row.id, ...result }, "Jira reconcile poll");
      }
    },
  });
}

export const reconcileJob = createReconcileJob();
