import { randomUUID } from "node:crypto";
import type { Db } from "../../db/client.js";
import { webhooks } from "../../db/schema/index.js";
import type { WebhookEvent } from "../../connectors/webhooks/events.js";
import { generateSigningSecret, sealSigningSecret } from "../../connectors/webhooks/signingSecret.js";
import type { WebhookSettings } from "../../connectors/webhooks/webhookSettings.js";
import type { Actor } from "../../policies/actor.js";
import { checkWebhookUrl } from "./checkWebhookUrl.js";

/**
 * Registers a webhook with a new signing secret. The secret is returned once, here, and stored
 * only sealed (like API tokens, which are stored only hashed): nobody can read it back later.
 */
export async function createWebhook(options: {
  db: Db;
  actor: Actor;
  settings: WebhookSettings;
  url: string;
  events: WebhookEvent[];
  description?: string | undefined;
}) {
  const url = await checkWebhookUrl(options.url, options.settings);
  const id = randomUUID();
  const secret = generateSigningSecret();
  const [row] = await options.db
    .insert(webhooks)
    .values({
      id,
      url,
      events: [...new Set(options.events)],
      description: options.description ?? "",
      secretSealed: sealSigningSecret(options.settings.secretKey, id, secret),
      createdById: options.actor.id,
    })
    .returning();
  if (!row) throw new Error("webhook insert returned no row");
  return { row, secret };
}
