import type { Executor, Tx } from "../../db/client.js";
import { linksOfTicket } from "../../db/repositories/externalLinks.js";
import { enqueue } from "../../jobs/enqueue.js";
import { hasCurrentQueue } from "../../jobs/queue.js";
import type { RecordedActivity } from "../../commands/tickets/recordTicketEvents.js";
import { JIRA_CHANNEL, JIRA_SYSTEM } from "./constants.js";
import { postCommentsJob } from "./jobs/postCommentsJob.js";
import { syncTicketJob } from "./jobs/syncTicketJob.js";

/** History types whose change a Jira issue may take: mapped fields (the job's diff decides which). */
const FIELD_TYPES = new Set([
  "ticket.status_changed",
  "ticket.reopened",
  "ticket.priority_changed",
  "ticket.subject_changed",
  "ticket.category_changed",
  "ticket.custom_fields_changed",
  "ticket.tags_changed",
]);

/**
 * The Jira outbox of a ticket change, written in its transaction: `jira.post-comments` for a
 * staff message (per Jira connection), and `jira.sync-ticket` for field changes. Costs nothing
 * for a change Jira cannot care about, and one indexed query (links by ticket) otherwise. Changes
 * the connector itself made (channel `jira`) are never sent back: that is the first echo guard.
 * Whether a message is actually sent is the mapping's call, made when the job runs.
 */
export async function enqueueJiraSync(tx: Executor, activity: RecordedActivity): Promise<void> {
  if (activity.channel === JIRA_CHANNEL || !hasCurrentQueue()) return;
  const hasStaffMessage = activity.events.some((e) => (e.type === "reply.added" || e.type === "note.added") && (e.to as { authorSide?: unknown } | null)?.authorSide === "staff");
  const hasFieldChange = activity.events.some((e) => FIELD_TYPES.has(e.type));
  if (!hasStaffMessage && !hasFieldChange) return;
  const links = await linksOfTicket(tx, activity.ticketId, JIRA_SYSTEM);
  if (links.length === 0) return;
  // recordTicketEvents is only ever called inside a command's transaction.
  const inTx = tx as Tx;
  if (hasStaffMessage) for (const connectionId of new Set(links.map((l) => l.connection.id))) await enqueue(inTx, postCommentsJob, { ticketId: activity.ticketId, connectionId });
  if (hasFieldChange) await enqueue(inTx, syncTicketJob, { ticketId: activity.ticketId });
}
