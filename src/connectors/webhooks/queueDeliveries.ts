import type { Tx } from "../../db/client.js";
import type { WebhookDeliveryRow } from "../../db/repositories/webhooks.js";
import { webhookDeliveries } from "../../db/schema/index.js";
import { enqueue, enqueueMany } from "../../jobs/enqueue.js";
import { deliverWebhook } from "./deliverWebhook.js";
import type { DeliveryEvent, DeliveryFacts } from "./events.js";

export type NewDelivery = { webhookId: string; event: DeliveryEvent; facts: DeliveryFacts };

/**
 * Writes the deliveries and their `webhook.deliver` jobs in the caller's transaction (the outbox
 * rule): a rolled-back change leaves neither a log entry nor a job behind.
 */
export async function queueDeliveries(tx: Tx, deliveries: NewDelivery[]): Promise<WebhookDeliveryRow[]> {
  if (deliveries.length === 0) return [];
  const rows = await tx.insert(webhookDeliveries).values(deliveries).returning();
  await enqueueMany(tx, deliverWebhook, rows.map((row) => ({ deliveryId: row.id })));
  return rows;
}

/** Sends an existing delivery again (a redelivery): same id, same body, a new job. */
export async function requeueDelivery(tx: Tx, deliveryId: string): Promise<void> {
  await enqueue(tx, deliverWebhook, { deliveryId });
}
