import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The real payloads copied into test/contracts/jira/webhooks (see its README for provenance). */
export const webhookSamples = [
  "jira-webhook-issue-created",
  "jira-webhook-issue-updated-resolved",
  "jira-webhook-issue-deleted",
  "jira-webhook-cloud-comment-created",
  "jira-webhook-cloud-comment-updated",
  "jira-webhook-cloud-comment-deleted",
  "jira-webhook-server-comment-created",
] as const;
export type WebhookSample = (typeof webhookSamples)[number];

const here = dirname(fileURLToPath(import.meta.url));

/** A sample's exact bytes: signatures are over bytes, so never re-serialise before signing. */
export function readSample(name: WebhookSample): string {
  return readFileSync(join(here, "..", "..", "contracts", "jira", "webhooks", `${name}.json`), "utf8");
}

export type WebhookDelivery = { headers: Record<string, string>; body: string };

export type DeliveryOptions = {
  /** Signs with `X-Hub-Signature: sha256=…` as admin webhooks with a secret do. */
  secret?: string;
  /** `X-Atlassian-Webhook-Identifier`; a fresh one per delivery unless given (retries repeat it). */
  deliveryId?: string | null;
  retry?: number;
  flow?: "Primary" | "Secondary";
  /**
   * A dynamic webhook of an OAuth app: `Authorization: Bearer <JWT>`, HS256 with the app's client
   * secret (PROTOCOLS.md §2.1; the claims are undocumented, so only `iat`/`exp` are set here).
   */
  jwt?: { secret: string; issuedAt?: Date; expiresInSeconds?: number };
};

/** An HS256 JWT, written out from RFC 7519 rather than with the code under test. */
export function hs256Jwt(claims: Record<string, unknown>, secret: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signingInput = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
  return `${signingInput}.${createHmac("sha256", secret).update(signingInput).digest("base64url")}`;
}

/** Wraps a body in the headers Jira Cloud sends with it (PROTOCOLS.md §2.1). */
export function delivery(body: string, options: DeliveryOptions = {}): WebhookDelivery {
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", "user-agent": "Atlassian Webhook HTTP Client" };
  if (options.deliveryId !== null) headers["x-atlassian-webhook-identifier"] = options.deliveryId ?? randomUUID();
  headers["x-atlassian-webhook-flow"] = options.flow ?? "Primary";
  if (options.retry) headers["x-atlassian-webhook-retry"] = String(options.retry);
  if (options.jwt) {
    const iat = Math.floor((options.jwt.issuedAt ?? new Date()).getTime() / 1000);
    headers.authorization = `Bearer ${hs256Jwt({ iat, exp: iat + (options.jwt.expiresInSeconds ?? 180) }, options.jwt.secret)}`;
  }
  if (options.secret) headers["x-hub-signature"] = `sha256=${createHmac("sha256", options.secret).update(body, "utf8").digest("hex")}`;
  return { headers, body };
}

export function sampleDelivery(name: WebhookSample, options: DeliveryOptions = {}): WebhookDelivery {
  return delivery(readSample(name), options);
}

/** POSTs a delivery to a receiver, as Jira would. */
export async function deliver(url: string, d: WebhookDelivery): Promise<Response> {
  return fetch(url, { method: "POST", headers: d.headers, body: d.body, signal: AbortSignal.timeout(10_000) });
}
