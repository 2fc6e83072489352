import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { defaultDisablePolicy, markDelivered, markFailed, markSkipped, recordAttempt, type DisablePolicy } from "../../commands/webhooks/settleDelivery.js";
import type { Db } from "../../db/client.js";
import type { WebhookDeliveryRow } from "../../db/repositories/webhooks.js";
import { webhookDeliveries, webhooks } from "../../db/schema/index.js";
import { defineJob, type RetryPolicy } from "../../jobs/defineJob.js";
import { PING_EVENT } from "./events.js";
import { postWebhook, type AttemptOutcome } from "./postWebhook.js";
import { renderPayload } from "./renderPayload.js";
import { openSigningSecret, signatureFor } from "./signingSecret.js";
import { currentWebhookSettings, type WebhookSettings } from "./webhookSettings.js";

export const ZDeliverWebhook = z.object({ deliveryId: z.uuid() });
export type DeliverWebhook = z.infer<typeof ZDeliverWebhook>;

/** 9 attempts: about 30 s, 1, 2, 4, 8, 16, 32 min, then an hour, each plus up to as much jitter (2–4 h). */
export const webhookRetryPolicy: RetryPolicy = { retryLimit: 8, retryDelaySeconds: 30, retryDelayMaxSeconds: 3600 };
const REQUEST_TIMEOUT_MS = 10_000;

export type DeliverWebhookJobOptions = {
  retry?: Partial<RetryPolicy>;
  /** Defaults to the process's settings (configureWebhooks); tests pass their own. */
  settings?: () => WebhookSettings;
  disablePolicy?: DisablePolicy;
  timeoutMs?: number;
};

/** Fixes the body at the first attempt; a concurrent run that got there first wins, and both send its bytes. */
async function fixBody(db: Db, delivery: WebhookDeliveryRow): Promise<string> {
  const rendered = JSON.stringify(await renderPayload(db, delivery));
  const [stored] = await db
    .update(webhookDeliveries)
    .set({ body: rendered })
    .where(and(eq(webhookDeliveries.id, delivery.id), isNull(webhookDeliveries.body)))
    .returning({ body: webhookDeliveries.body });
  if (stored?.body) return stored.body;
  const [row] = await db.select({ body: webhookDeliveries.body }).from(webhookDeliveries).where(eq(webhookDeliveries.id, delivery.id));
  return row?.body ?? rendered;
}

const failedBeforeSending = (error: string): AttemptOutcome => ({ statusCode: null, durationMs: 0, isSuccess: false, responseExcerpt: null, error });

/**
 * The `webhook.deliver` job: one POST of one delivery per run. The delivery row is the state, so
 * no durable steps are needed: a delivered or settled row is never sent again, and the body is
 * fixed once. A failed attempt throws, and pg-boss retries with exponential backoff and jitter;
 * the last attempt instead settles the delivery as failed (the log is where an admin sees it and
 * redelivers from, so it does not go to the dead-letter queue) and may disable the webhook.
 * A crash after the receiver answered and before the attempt is recorded sends the same
 * delivery id again, which is what receivers deduplicate on. Never logs the secret or the body.
 */
export function createDeliverWebhookJob(options: DeliverWebhookJobOptions = {}) {
  const settingsOf = options.settings ?? currentWebhookSettings;
  const retry: RetryPolicy = { ...webhookRetryPolicy, ...options.retry };
  const policy = options.disablePolicy ?? defaultDisablePolicy;
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  return defineJob({
    name: "webhook.deliver",
    payload: ZDeliverWebhook,
    retry,
    expireInSeconds: 2 * 60,
    async handler({ deliveryId }, ctx) {
      const [target] = await ctx.db
        .select({ delivery: webhookDeliveries, webhook: webhooks })
        .from(webhookDeliveries)
        .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
        .where(eq(webhookDeliveries.id, deliveryId));
      // Deleted with its webhook, or already settled by an earlier run of this job.
      if (!target || target.delivery.status !== "pending") return;
      const { delivery, webhook } = target;
      if (!webhook.isActive && delivery.event !== PING_EVENT) return markSkipped(ctx.db, delivery.id, new Date());

      const settings = settingsOf();
      const attemptedAt = new Date();
      let outcome: AttemptOutcome;
      let body: string | undefined;
      let secret: string | undefined;
      try {
        body = delivery.body ?? (await fixBody(ctx.db, delivery));
      } catch (error) {
        // A bug, but logged on the delivery like any failed attempt rather than leaving it pending.
        ctx.log.error({ err: error, deliveryId: delivery.id }, "webhook payload could not be rendered");
      }
      try {
        secret = openSigningSecret(settings.secretKey, webhook.id, webhook.secretSealed);
      } catch {
        secret = undefined;
      }
      if (body === undefined) {
        outcome = failedBeforeSending("the payload could not be rendered (see the server log)");
      } else if (secret === undefined) {
        outcome = failedBeforeSending("the signing secret does not open with this server's SWITCHBOARD_SECRET_KEY");
      } else {
        const timestamp = Math.floor(attemptedAt.getTime() / 1000);
        outcome = await postWebhook({
          url: webhook.url,
          body,
          allowPrivate: settings.allowPrivateTargets,
          timeoutMs,
          signal: ctx.signal,
          headers: {
            "content-type": "application/json",
            "user-agent": "Switchboard-Webhooks/1",
            "x-switchboard-event": delivery.event,
            "x-switchboard-delivery": delivery.id,
            "x-switchboard-timestamp": String(timestamp),
            "x-switchboard-signature": signatureFor(secret, timestamp, body),
            "x-switchboard-attempt": String(delivery.attemptCount + 1),
          },
        });
      }
      await recordAttempt(ctx.db, delivery.id, outcome, attemptedAt);
      if (outcome.isSuccess) return markDelivered(ctx.db, delivery, new Date());

      const error = outcome.error ?? `answered ${outcome.statusCode}`;
      if (ctx.attempt <= retry.retryLimit) throw new Error(`webhook delivery failed: ${error}`);
      const { isDisabled } = await markFailed(ctx.db, delivery, error, new Date(), policy);
      ctx.log.warn({ webhookId: webhook.id, deliveryId: delivery.id, isDisabled }, "webhook delivery failed after all its retries");
    },
  });
}

/** The registered `webhook.deliver` job (jobRegistry.ts), with the process's settings. */
export const deliverWebhook = createDeliverWebhookJob();
