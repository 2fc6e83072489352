import type { Executor } from "../../db/client.js";
import { appendTicketEvents, type TicketEventInput } from "../../db/repositories/ticketEvents.js";
import type { Actor } from "../../policies/actor.js";
import { publishTicketActivity } from "../../realtime/publishTicketActivity.js";
import { enqueueWebhookDeliveries } from "../../connectors/webhooks/enqueueWebhookDeliveries.js";
import { enqueueJiraSync } from "../../connectors/jira/enqueueJiraSync.js";
import { noticeFollowers } from "../subscriptions/noticeFollowers.js";

export type RecordedActivity = {
  ticketId: string;
  actorId: string | null;
  channel: string;
  events: readonly TicketEventInput[];
  at: Date;
};

/**
 * Every ticket change goes through here, inside the command's transaction: the history rows,
 * the real-time notice (a NOTIFY, delivered by PostgreSQL only if the transaction commits), the
 * followers' notices, the outbound webhook jobs and the Jira sync jobs of linked tickets all
 * commit together with the change or not at all.
 */
export async function recordTicketEvents(
  tx: Executor,
  ticketId: string,
  actor: Actor | null,
  channel: string,
  events: TicketEventInput[],
  at?: Date,
): Promise<void> {
  if (events.length === 0) return;
  const when = at ?? new Date();
  await appendTicketEvents(tx, ticketId, actor, channel, events, when);
  const activity: RecordedActivity = { ticketId, actorId: actor?.id ?? null, channel, events, at: when };
  await publishTicketActivity(tx, activity);
  await noticeFollowers(tx, ticketId, activity.actorId, events);
  await enqueueWebhookDeliveries(tx, activity);
  await enqueueJiraSync(tx, activity);
}
