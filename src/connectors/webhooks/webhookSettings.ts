import { loadConfig, type Config } from "../../config.js";
import { secretKeyFor } from "../../crypto/secretKey.js";

/** What webhook registration and the `webhook.deliver` job need from the configuration. */
export type WebhookSettings = {
  /** Seals and opens the signing secrets stored in `webhooks.secret_sealed`. */
  secretKey: Buffer;
  /** ALLOW_PRIVATE_WEBHOOK_TARGETS: let URLs reach loopback and private networks. */
  allowPrivateTargets: boolean;
};

let configured: WebhookSettings | undefined;

export function webhookSettingsFrom(config: Config): WebhookSettings {
  return { secretKey: secretKeyFor(config), allowPrivateTargets: config.ALLOW_PRIVATE_WEBHOOK_TARGETS };
}

/**
 * Sets the process's webhook settings. Job handlers take no config argument (like
 * `currentQueue()`, this is a process singleton), so without this call the settings are read from
 * the environment on first use, which is what `serve` itself parsed.
 */
export function configureWebhooks(config: Config): void {
  configured = webhookSettingsFrom(config);
}

export function currentWebhookSettings(): WebhookSettings {
  configured ??= webhookSettingsFrom(loadConfig());
  return configured;
}
