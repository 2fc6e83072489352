import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { webhookDeliveries, webhookDeliveryAttempts, webhooks } from "../../db/schema/index.js";
import { PING_EVENT } from "../../connectors/webhooks/events.js";
import type { AttemptOutcome } from "../../connectors/webhooks/postWebhook.js";
import { noticeWebhookDisabled } from "./noticeWebhookDisabled.js";

/**
 * When a webhook is switched off for failing: its streak of deliveries that failed for good
 * (each after all its retries) is at least `failures` long AND began at least `seconds` ago.
 * Both, so neither a short outage on a busy desk (many failures in an hour) nor a single bad
 * delivery on a quiet one disables it; an endpoint that is gone for a day is disabled.
 */
export type DisablePolicy = { failures: number; seconds: number };
export const defaultDisablePolicy: DisablePolicy = { failures: 5, seconds: 24 * 3600 };

/** A 2xx: the delivery is done and the webhook's failure streak ends (pings neither count nor reset). */
export async function markDelivered(db: Db, delivery: { id: string; webhookId: string; event: string }, at: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(webhookDeliveries).set({ status: "delivered", completedAt: at }).where(eq(webhookDeliveries.id, delivery.id));
    if (delivery.event === PING_EVENT) return;
    await tx
      .update(webhooks)
      .set({ consecutiveFailures: 0, failingSince: null })
      .where(and(eq(webhooks.id, delivery.webhookId), sql`(${webhooks.consecutiveFailures} > 0 or ${webhooks.failingSince} is not null)`));
  });
}

/** The webhook was disabled (or deleted) before this delivery's turn: nothing is sent. */
export async function markSkipped(db: Db, deliveryId: string, at: Date): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: "skipped", completedAt: at, lastError: "not sent: the webhook is disabled" })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, "pending")));
}

/**
 * The last attempt failed: the delivery failed for good, the webhook's streak grows, and if the
 * streak meets the policy the webhook is disabled with a reason and its owner is told, all in one
 * transaction. The `is_active` guard on the disabling update makes the notice happen once even
 * when several deliveries fail at the same moment.
 */
export async function markFailed(
  db: Db,
  delivery: { id: string; webhookId: string; event: string },
  lastError: string,
  at: Date,
  policy: DisablePolicy = defaultDisablePolicy,
): Promise<{ isDisabled: boolean }> {
  return db.transaction(async (tx) => {
    const settled = await tx
      .update(webhookDeliveries)
      .set({ status: "failed", completedAt: at })
      .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.status, "pending")))
      .returning({ id: webhookDeliveries.id });
    if (settled.length === 0 || delivery.event === PING_EVENT) return { isDisabled: false };

    const [streak] = await tx
      .update(webhooks)
      .set({ consecutiveFailures: sql`${webhooks.consecutiveFailures} + 1`, failingSince: sql`coalesce(${webhooks.failingSince}, ${at.toISOString()}::timestamptz)` })
      .where(eq(webhooks.id, delivery.webhookId))
      .returning({ isActive: webhooks.isActive, failures: webhooks.consecutiveFailures, failingSince: webhooks.failingSince });
    if (!streak?.isActive || !streak.failingSince) return { isDisabled: false };
    const failingSeconds = (at.getTime() - streak.failingSince.getTime()) / 1000;
    if (streak.failures < policy.failures || failingSeconds < policy.seconds) return { isDisabled: false };

    const hours = Math.max(1, Math.round(failingSeconds / 3600));
    const reason = `${streak.failures} deliveries in a row failed after all their retries, over ${failingSeconds >= 3600 ? `${hours} h` : "less than an hour"}; last error: ${lastError}`.slice(0, 1000);
    const [disabled] = await tx
      .update(webhooks)
      .set({ isActive: false, disabledAt: at, disabledReason: reason })
      .where(and(eq(webhooks.id, delivery.webhookId), eq(webhooks.isActive, true)))
      .returning();
    if (!disabled) return { isDisabled: false };
    await noticeWebhookDisabled(tx, disabled, reason, at);
    return { isDisabled: true };
  });
}

/** Logs one HTTP attempt and keeps the delivery's latest status code and error beside it. */
export async function recordAttempt(db: Db, deliveryId: string, outcome: AttemptOutcome, at: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(webhookDeliveryAttempts).values({ deliveryId, attemptedAt: at, ...outcome });
    await tx
      .update(webhookDeliveries)
      .set({ attemptCount: sql`${webhookDeliveries.attemptCount} + 1`, lastStatusCode: outcome.statusCode, lastError: outcome.error })
      .where(eq(webhookDeliveries.id, deliveryId));
  });
}
