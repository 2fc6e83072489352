import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { webhooks } from "../../db/schema/index.js";
import { PING_EVENT } from "../../connectors/webhooks/events.js";
import { queueDeliveries } from "../../connectors/webhooks/queueDeliveries.js";
import { AppError, notFound } from "../../errors.js";
import { hasCurrentQueue } from "../../jobs/queue.js";
import type { Actor } from "../../policies/actor.js";

/**
 * Queues a `ping` delivery, signed and logged like any other. It goes out even to a disabled
 * webhook, so an admin can check a repaired receiver before enabling it again, and it neither
 * counts towards nor resets the failure streak.
 */
export async function sendWebhookPing(db: Db, actor: Actor, webhookId: string) {
  if (!hasCurrentQueue()) throw new AppError("UNAVAILABLE", "the job queue is not running in this process");
  return db.transaction(async (tx) => {
    const [webhook] = await tx.select().from(webhooks).where(eq(webhooks.id, webhookId));
    if (!webhook) throw notFound("webhook");
    const [delivery] = await queueDeliveries(tx, [
      {
        webhookId,
        event: PING_EVENT,
        facts: {
          ticketId: null,
          actorId: actor.id,
          channel: "api",
          occurredAt: new Date().toISOString(),
          webhook: { id: webhook.id, url: webhook.url, events: webhook.events },
        },
      },
    ]);
    return delivery!;
  });
}
