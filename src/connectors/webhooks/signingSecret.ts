import { createHmac, randomBytes } from "node:crypto";
import { openSecret, sealSecret } from "../../crypto/secretBox.js";

/** `whsec_` + 256 random bits: recognisable to secret scanners, like our API tokens' prefixes. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** Bound as associated data, so a sealed secret copied into another webhook's row does not open. */
const contextOf = (webhookId: string) => `webhook:${webhookId}`;

export const sealSigningSecret = (key: Buffer, webhookId: string, secret: string) => sealSecret(key, secret, contextOf(webhookId));
export const openSigningSecret = (key: Buffer, webhookId: string, sealed: string) => openSecret(key, sealed, contextOf(webhookId));

/**
 * The `X-Switchboard-Signature` value: `sha256=` + hex HMAC-SHA256, keyed with the secret's UTF-8
 * bytes, over `<timestamp>.<raw body>` (the same timestamp as `X-Switchboard-Timestamp`), so a
 * captured request cannot be replayed later under a fresh timestamp. docs/webhooks.md.
 */
export function signatureFor(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}
