import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { webhooks } from "../../db/schema/index.js";
import { generateSigningSecret, sealSigningSecret } from "../../connectors/webhooks/signingSecret.js";
import type { WebhookSettings } from "../../connectors/webhooks/webhookSettings.js";
import { notFound } from "../../errors.js";

/**
 * Replaces a webhook's signing secret; the new one is returned once. It applies at once: every
 * attempt from now on, retries of older deliveries included, is signed with the new secret.
 */
export async function rotateWebhookSecret(db: Db, settings: WebhookSettings, webhookId: string) {
  const secret = generateSigningSecret();
  const [row] = await db
    .update(webhooks)
    .set({ secretSealed: sealSigningSecret(settings.secretKey, webhookId, secret), updatedAt: new Date() })
    .where(eq(webhooks.id, webhookId))
    .returning();
  if (!row) throw notFound("webhook");
  return { row, secret };
}
