import { sql } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import type { RecordedActivity } from "../commands/tickets/recordTicketEvents.js";
import { ACTIVITY_CHANNEL, encodeNotice, toNotice } from "./activityNotice.js";

/**
 * Real-time fan-out of a ticket change. NOTIFY inside the command's transaction is delivered
 * by PostgreSQL (and PGlite) only when that transaction commits, and then to every process
 * listening on the database, so a rolled-back change is never announced and every web
 * process hears every change.
 */
export async function publishTicketActivity(tx: Executor, activity: RecordedActivity): Promise<void> {
  await tx.execute(sql`select pg_notify(${ACTIVITY_CHANNEL}, ${encodeNotice(toNotice(activity))})`);
}
