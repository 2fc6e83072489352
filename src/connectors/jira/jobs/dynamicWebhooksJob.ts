import { z } from "zod";
import type { Db, Tx } from "../../../db/client.js";
import { findConnectionById, listConnections } from "../../../db/repositories/connections.js";
import { defineJob } from "../../../jobs/defineJob.js";
import { enqueue } from "../../../jobs/enqueue.js";
import { hasCurrentQueue } from "../../../jobs/queue.js";
import type { Logger } from "../../../logger.js";
import { JIRA_SYSTEM } from "../constants.js";
import { ensureDynamicWebhooks, type WebhookOutcome } from "../dynamicWebhooks.js";
import { currentJiraSettings, type JiraSettings } from "../jiraSettings.js";
import { openForJob, settleJiraFailure } from "../settleFailure.js";
import type { JiraJobOptions } from "./syncTicketJob.js";

export const ZDynamicWebhooks = z.object({ connectionId: z.uuid().optional() });

/**
 * Registers or refreshes the dynamic webhooks of every active Cloud OAuth connection (or one).
 * `now` is the clock the expiry is judged by (tests move it). Connections of other kinds are left
 * alone. A refused or failing call is settled like any sync call (paused on auth, retried when Jira
 * is down).
 */
export async function runDynamicWebhooks(db: Db, input: { connectionId?: string; settings: JiraSettings; now: Date; log: Logger }): Promise<Map<string, WebhookOutcome>> {
  const rows = input.connectionId ? [await findConnectionById(db, input.connectionId)].filter((r) => r !== undefined) : await listConnections(db, JIRA_SYSTEM, ["active"]);
  const outcomes = new Map<string, WebhookOutcome>();
  for (const row of rows) {
    if (row.status !== "active") continue;
    const rt = await openForJob(db, row, { secretKey: input.settings.secretKey, log: input.log });
    if (!rt) continue;
    try {
      outcomes.set(row.id, await ensureDynamicWebhooks(db, rt, { publicUrl: input.settings.publicUrl, now: input.now, log: input.log }));
    } catch (e) {
      // Retryable and unknown errors are rethrown by settle; a refused registration fails the job visibly.
      if ((await settleJiraFailure(db, rt, e, [], input.log)) !== "paused") throw e;
    }
  }
  return outcomes;
}

/**
 * `jira.webhooks`, daily (a pg-boss schedule), also queued when an OAuth consent completes and by
 * the reconcile poll when a connection's webhook was never checked (a fresh start): keeps OAuth
 * apps' dynamic webhooks registered and extends them when fewer than 7 of their 30 days remain.
 */
export function createDynamicWebhooksJob(options: JiraJobOptions & { now?: () => Date } = {}) {
  const settingsOf = options.settings ?? currentJiraSettings;
  const now = options.now ?? (() => new Date());
  return defineJob({
    name: "jira.webhooks",
    payload: ZDynamicWebhooks,
    ...(options.retry ? { retry: options.retry } : { retry: { retryLimit: 5, retryDelaySeconds: 60, retryDelayMaxSeconds: 3600 } }),
    expireInSeconds: 5 * 60,
    cron: "23 4 * * *",
    async handler({ connectionId }, ctx) {
      const outcomes = await runDynamicWebhooks(ctx.db, { ...(connectionId ? { connectionId } : {}), settings: settingsOf(), now: now(), log: ctx.log });
      for (const [id, o] of outcomes) ctx.log.debug({ connectionId: id, ...o }, "Jira dynamic webhooks checked");
    },
  });
}

export const dynamicWebhooksJob = createDynamicWebhooksJob();

/** Queues a check in the caller's transaction (no queue in this process: the daily run does it). */
export async function queueDynamicWebhookCheck(tx: Tx, connectionId: string): Promise<void> {
  // One queued check per connection, however many callers ask.
  if (hasCurrentQueue()) await enqueue(tx, dynamicWebhooksJob, { connectionId }, { singletonKey: `jira.webhooks:${connectionId}` });
}
