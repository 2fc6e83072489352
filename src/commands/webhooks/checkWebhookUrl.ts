import type { WebhookSettings } from "../../connectors/webhooks/webhookSettings.js";
import { assertOutboundUrl } from "../../net/outboundUrl.js";

/**
 * A webhook URL as stored: http(s), no credentials, and (unless ALLOW_PRIVATE_WEBHOOK_TARGETS)
 * resolving to public addresses only; 422 naming `url` otherwise. Delivery checks again at every
 * attempt, since the name can resolve elsewhere later.
 */
export async function checkWebhookUrl(raw: string, settings: WebhookSettings): Promise<string> {
  const url = await assertOutboundUrl(raw, { allowPrivate: settings.allowPrivateTargets, field: "url" });
  return url.toString();
}
