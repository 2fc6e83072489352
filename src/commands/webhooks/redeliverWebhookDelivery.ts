import { and, eq, ne } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { webhookDeliveries, webhooks } from "../../db/schema/index.js";
import { PING_EVENT } from "../../connectors/webhooks/events.js";
import { requeueDelivery } from "../../connectors/webhooks/queueDeliveries.js";
import { AppError, notFound } from "../../errors.js";
import { hasCurrentQueue } from "../../jobs/queue.js";

/**
 * Sends a logged delivery again: the same delivery id and the same body (receivers that already
 * have it can drop it), with a fresh timestamp, signature and set of retries. Refused while the
 * delivery is still being attempted, and for a disabled webhook (enable it first; a ping may
 * still be redelivered).
 */
export async function redeliverWebhookDelivery(db: Db, webhookId: string, deliveryId: string) {
  if (!hasCurrentQueue()) throw new AppError("UNAVAILABLE", "the job queue is not running in this process");
  return db.transaction(async (tx) => {
    const [webhook] = await tx.select({ isActive: webhooks.isActive }).from(webhooks).where(eq(webhooks.id, webhookId)).for("update");
    if (!webhook) throw notFound("webhook");
    const [delivery] = await tx
      .select({ event: webhookDeliveries.event, status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, webhookId)));
    if (!delivery) throw notFound("delivery");
    if (!webhook.isActive && delivery.event !== PING_EVENT) throw new AppError("CONFLICT", "the webhook is disabled; enable it before redelivering");
    const [row] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", completedAt: null })
      .where(and(eq(webhookDeliveries.id, deliveryId), ne(webhookDeliveries.status, "pending")))
      .returning();
    if (!row) throw new AppError("CONFLICT", "the delivery is still being attempted");
    await requeueDelivery(tx, deliveryId);
    return row;
  });
}
