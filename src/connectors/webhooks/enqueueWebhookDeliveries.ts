import type { Executor } from "../../db/client.js";
import type { RecordedActivity } from "../../commands/tickets/recordTicketEvents.js";

/** Outbound webhook jobs for a ticket change (filled in by the outbound webhooks work). */
export async function enqueueWebhookDeliveries(_tx: Executor, _activity: RecordedActivity): Promise<void> {}
