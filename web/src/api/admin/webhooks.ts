import { api, queryString } from "../client.ts";
import type { Page } from "../types.ts";
import type { Webhook, WebhookDelivery, WebhookWithSecret } from "./types.ts";

export type WebhookInput = { url: string; events: string[]; description?: string };
export type WebhookChange = Partial<WebhookInput & { active: boolean }>;

const ref = (id: string) => encodeURIComponent(id);

export const listWebhooks = (cursor: string | null, signal?: AbortSignal) =>
  api<Page<Webhook>>(`/webhooks${queryString({ cursor, limit: 50 })}`, { signal });
export const getWebhook = (id: string, signal?: AbortSignal) => api<Webhook>(`/webhooks/${ref(id)}`, { signal });
export const createWebhook = (input: WebhookInput) => api<WebhookWithSecret>("/webhooks", { json: input });
export const updateWebhook = (id: string, change: WebhookChange) => api<Webhook>(`/webhooks/${ref(id)}`, { method: "PATCH", json: change });
export const deleteWebhook = (id: string) => api<void>(`/webhooks/${ref(id)}`, { method: "DELETE" });
export const rotateWebhookSecret = (id: string) => api<WebhookWithSecret>(`/webhooks/${ref(id)}/rotate-secret`, { method: "POST" });
export const sendWebhookTest = (id: string) => api<WebhookDelivery>(`/webhooks/${ref(id)}/test`, { method: "POST" });

export const listDeliveries = (id: string, cursor: string | null, signal?: AbortSignal) =>
  api<Page<WebhookDelivery>>(`/webhooks/${ref(id)}/deliveries${queryString({ cursor, limit: 50 })}`, { signal });
export const redeliver = (id: string, deliveryId: string) =>
  api<WebhookDelivery>(`/webhooks/${ref(id)}/deliveries/${ref(deliveryId)}/redeliver`, { method: "POST" });

/**
 * What a webhook can subscribe to, in the server's order (src/connectors/webhooks/events.ts;
 * its module cannot be imported here). An unknown name is refused with a 422 shown beside the list.
 */
export const webhookEvents = [
  { name: "ticket.created", label: "A ticket is created" },
  { name: "ticket.updated", label: "A ticket's status, priority or fields change" },
  { name: "ticket.assigned", label: "A ticket is assigned" },
  { name: "message.created", label: "A reply or note is added" },
  { name: "ticket.merged", label: "Tickets are merged" },
  { name: "sla.warning", label: "An SLA clock reaches a warning threshold" },
  { name: "sla.breached", label: "An SLA target is breached" },
] as const;
