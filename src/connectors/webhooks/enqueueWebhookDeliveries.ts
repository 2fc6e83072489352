import type { Executor, Tx } from "../../db/client.js";
import type { RecordedActivity } from "../../commands/tickets/recordTicketEvents.js";
import { activeWebhooksFor } from "../../db/repositories/webhooks.js";
import { hasCurrentQueue } from "../../jobs/queue.js";
import { plannedDeliveries } from "./events.js";
import { queueDeliveries, type NewDelivery } from "./queueDeliveries.js";

/**
 * Outbound webhook deliveries for a ticket change, written in the change's transaction. Costs
 * nothing when the change has no public event, and one indexed query when no webhook wants it.
 * A no-op in a process with no queue (tests, CLI paths), as for mail: `serve` starts the queue
 * before it accepts requests.
 */
export async function enqueueWebhookDeliveries(tx: Executor, activity: RecordedActivity): Promise<void> {
  if (!hasCurrentQueue()) return;
  const planned = plannedDeliveries(activity);
  if (planned.length === 0) return;
  const subscribed = await activeWebhooksFor(tx, [...new Set(planned.map((p) => p.event))]);
  if (subscribed.length === 0) return;
  const deliveries: NewDelivery[] = subscribed.flatMap((webhook) =>
    planned.filter((p) => webhook.events.includes(p.event)).map((p) => ({ webhookId: webhook.id, event: p.event, facts: p.facts })),
  );
  // recordTicketEvents is only ever called inside a command's transaction.
  await queueDeliveries(tx as Tx, deliveries);
}
