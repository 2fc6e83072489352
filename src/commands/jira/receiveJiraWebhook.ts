import type { Db } from "../../db/client.js";
import { findConnection } from "../../db/repositories/connections.js";
import { storeInboundEvent } from "../../db/repositories/inboundEvents.js";
import { JIRA_SYSTEM, JIRA_WEBHOOK_SOURCE } from "../../connectors/jira/constants.js";
import { processEventJob } from "../../connectors/jira/jobs/processEventJob.js";
import { authenticateJiraDelivery } from "../../connectors/jira/deliveryAuth.js";
import { openSecrets, ZStoredSettings, type StoredSecrets } from "../../connectors/jira/storedConnection.js";
import { parseJiraWebhook } from "../../connectors/jira/webhook.js";
import { AppError } from "../../errors.js";
import { enqueue } from "../../jobs/enqueue.js";
import { hasCurrentQueue } from "../../jobs/queue.js";

export type ReceivedJiraWebhook = { deliveryId: string; isDuplicate: boolean; webhookEvent: string };

/**
 * A Jira webhook delivery, as DESIGN.md §7 orders it: verify the signature over the exact bytes
 * received, or an OAuth app's JWT (a connection with nothing to verify against accepts no
 * deliveries at all: secure by default, and its reconcile poll still syncs), parse, store the raw event once per delivery id,
 * and enqueue its processing in the same transaction, so the receiver can answer at once and a
 * redelivery is recognised. Processing never trusts the body for state: it re-reads the issue.
 */
export async function receiveJiraWebhook(options: { db: Db; secretKey: Buffer; rawBody: Buffer; headers: Record<string, string | string[] | undefined> }): Promise<ReceivedJiraWebhook> {
  const { db, rawBody, headers } = options;
  const connection = await findConnection(db, JIRA_SYSTEM);
  if (!connection) throw new AppError("NOT_FOUND", "no Jira connection is configured");
  let secrets: StoredSecrets;
  try {
    secrets = openSecrets(options.secretKey, connection.id, connection.sealedSecrets);
  } catch {
    throw new AppError("UNAVAILABLE", "the Jira connection's secrets cannot be opened with this server's key");
  }
  // X-Hub-Signature (admin webhook), or an OAuth app's JWT (dynamic webhook): deliveryAuth.ts.
  const authKind = ZStoredSettings.safeParse(connection.settings).data?.auth.kind ?? null;
  authenticateJiraDelivery({ authKind, secrets, rawBody, headers, now: new Date() });
  const parsed = parseJiraWebhook({ rawBody, headers });
  if (!parsed.ok) throw new AppError("BAD_REQUEST", `not a Jira webhook delivery: ${parsed.error}`);
  const { webhook } = parsed;
  const payload: unknown = JSON.parse(rawBody.toString("utf8"));
  const isDuplicate = await db.transaction(async (tx) => {
    const stored = await storeInboundEvent(tx, {
      source: JIRA_WEBHOOK_SOURCE,
      connectionId: connection.id,
      deliveryId: webhook.deliveryId,
      eventType: webhook.webhookEvent,
      payload,
    });
    if (!stored) return true;
    // Without a queue (a CLI, some tests) the event waits; the reconcile poll covers its change.
    if (hasCurrentQueue()) await enqueue(tx, processEventJob, { eventId: stored.id });
    return false;
  });
  return { deliveryId: webhook.deliveryId, isDuplicate, webhookEvent: webhook.webhookEvent };
}
