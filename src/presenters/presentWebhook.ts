import { z } from "zod";
import type { DeliveryWithAttempts, WebhookRow, WebhookWithOwner } from "../db/repositories/webhooks.js";
import { ZPersonRef } from "./schemas.js";

export const ZWebhook = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.string()),
    active: z.boolean(),
    disabledReason: z.string().nullable().meta({ description: "Why it was disabled: by whom, or the failures that switched it off." }),
    disabledAt: z.iso.datetime().nullable(),
    consecutiveFailures: z.number().int().meta({ description: "Deliveries in a row that failed after all their retries." }),
    failingSince: z.iso.datetime().nullable(),
    createdBy: ZPersonRef.nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "Webhook", description: "An outbound webhook. Its signing secret is shown only when it is created or rotated." });

export const ZWebhookWithSecret = ZWebhook.extend({
  secret: z.string().meta({ description: "The signing secret. Shown only in this answer: store it now." }),
}).meta({ id: "WebhookWithSecret" });

export const ZWebhookAttempt = z
  .object({
    attemptedAt: z.iso.datetime(),
    statusCode: z.number().int().nullable().meta({ description: "null when no response came (refused, timed out, blocked address)." }),
    durationMs: z.number().int(),
    success: z.boolean(),
    responseExcerpt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: "WebhookAttempt" });

export const ZWebhookDelivery = z
  .object({
    id: z.uuid().meta({ description: "Sent as X-Switchboard-Delivery, the same on every attempt and redelivery." }),
    webhookId: z.uuid(),
    event: z.string(),
    status: z.enum(["pending", "delivered", "failed", "skipped"]),
    attempts: z.array(ZWebhookAttempt),
    payload: z.unknown().meta({ description: "The body sent; null until the first attempt." }),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "WebhookDelivery" });

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const statuses = ZWebhookDelivery.shape.status.options;
const asStatus = (s: string) => statuses.find((x) => x === s) ?? "pending";

/** Never the secret, sealed or not. */
export function presentWebhook(w: WebhookWithOwner): z.infer<typeof ZWebhook> {
  const row: WebhookRow = w.webhook;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    active: row.isActive,
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    consecutiveFailures: row.consecutiveFailures,
    failingSince: iso(row.failingSince),
    createdBy: w.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentDelivery(d: DeliveryWithAttempts): z.infer<typeof ZWebhookDelivery> {
  return {
    id: d.id,
    webhookId: d.webhookId,
    event: d.event,
    status: asStatus(d.status),
    attempts: d.attempts.map((a) => ({
      attemptedAt: a.attemptedAt.toISOString(),
      statusCode: a.statusCode,
      durationMs: a.durationMs,
      success: a.isSuccess,
      responseExcerpt: a.responseExcerpt,
      error: a.error,
    })),
    payload: d.body === null ? null : (JSON.parse(d.body) as unknown),
    createdAt: d.createdAt.toISOString(),
    completedAt: iso(d.completedAt),
  };
}
