import type { Db } from "../../db/client.js";
import { findConnectionCredentials } from "../../db/repositories/connections.js";
import { storeInboundEvent } from "../../db/repositories/inboundEvents.js";
import { JIRA_SYSTEM, JIRA_WEBHOOK_SOURCE } from "../../connectors/jira/constants.js";
import { wakeJiraDispatch } from "../../connectors/jira/jobs/dispatchEventsJob.js";
import { authenticateJiraDelivery } from "../../connectors/jira/deliveryAuth.js";
import { openSecrets, type StoredSecrets } from "../../connectors/jira/storedConnection.js";
import { parseJiraWebhook } from "../../connectors/jira/webhook.js";
import { AppError } from "../../errors.js";
import { unstorableTextAt } from "../../http/unstorableText.js";
import type { WakeLog } from "../../jobs/coalescedWake.js";

export type ReceivedJiraWebhook = { deliveryId: string; isDuplicate: boolean; webhookEvent: string };

/**
 * The last secrets opened, by sealed value and key: a burst of deliveries decrypts them once. A
 * changed secret is a new sealed value, so it is never served stale.
 */
let opened: { key: Buffer; id: string; sealed: string | null; secrets: StoredSecrets } | undefined;

function secretsOf(key: Buffer, connection: { id: string; sealedSecrets: string | null }): StoredSecrets {
  if (opened?.key === key && opened.id === connection.id && opened.sealed === connection.sealedSecrets) return opened.secrets;
  let secrets: StoredSecrets;
  try {
    secrets = openSecrets(key, connection.id, connection.sealedSecrets);
  } catch {
    throw new AppError("UNAVAILABLE", "the Jira connection's secrets cannot be opened with this server's key");
  }
  opened = { key, id: connection.id, sealed: connection.sealedSecrets, secrets };
  return secrets;
}

/**
 * A Jira webhook delivery, as DESIGN.md §7 orders it: verify the signature over the exact bytes
 * received, or an OAuth app's JWT (a connection with nothing to verify against accepts no
 * deliveries at all: secure by default, and its reconcile poll still syncs), parse, and store the
 * raw event once per delivery id, so a redelivery is recognised. That one insert is all the
 * receiver writes: the dispatcher (jira.dispatch-events), woken after it, sorts stored events in
 * batches, so a burst of hundreds a second is acknowledged at once. Processing never trusts the
 * body for state: it re-reads the issue.
 */
export async function receiveJiraWebhook(options: { db: Db; secretKey: Buffer; rawBody: Buffer; headers: Record<string, string | string[] | undefined>; log: WakeLog }): Promise<ReceivedJiraWebhook> {
  const { db, rawBody, headers } = options;
  const connection = await findConnectionCredentials(db, JIRA_SYSTEM);
  if (!connection) throw new AppError("NOT_FOUND", "no Jira connection is configured");
  const secrets = secretsOf(options.secretKey, connection);
  // X-Hub-Signature (admin webhook), or an OAuth app's JWT (dynamic webhook): deliveryAuth.ts.
  authenticateJiraDelivery({ authKind: connection.authKind, secrets, rawBody, headers, now: new Date() });
  const parsed = parseJiraWebhook({ rawBody, headers });
  if (!parsed.ok) throw new AppError("BAD_REQUEST", `not a Jira webhook delivery: ${parsed.error}`);
  const { webhook } = parsed;
  // PostgreSQL's jsonb refuses NUL and unpaired surrogates: a clear 400 rather than a failed insert.
  const unstorable = unstorableTextAt(webhook.body);
  if (unstorable) throw new AppError("BAD_REQUEST", `not storable: ${unstorable} contains a NUL character or an unpaired surrogate`);
  const stored = await storeInboundEvent(db, {
    source: JIRA_WEBHOOK_SOURCE,
    connectionId: connection.id,
    deliveryId: webhook.deliveryId,
    eventType: webhook.webhookEvent,
    payload: webhook.body,
  });
  if (stored) wakeJiraDispatch(options.log);
  return { deliveryId: webhook.deliveryId, isDuplicate: !stored, webhookEvent: webhook.webhookEvent };
}
