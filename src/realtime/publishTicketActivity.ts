import type { Executor } from "../db/client.js";
import type { RecordedActivity } from "../commands/tickets/recordTicketEvents.js";

/** Real-time fan-out of a ticket change (filled in by the real-time stream work). */
export async function publishTicketActivity(_tx: Executor, _activity: RecordedActivity): Promise<void> {}
