import { and, eq } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import type { WebhookRow } from "../../db/repositories/webhooks.js";
import { users } from "../../db/schema/index.js";
import { notifyPeople } from "../notifications/notifyPeople.js";
import { SYSTEM_USER_ID } from "../../domain/systemActor.js";

/**
 * Tells the admin who registered the webhook that it was disabled (the active admins instead when
 * that person is gone or no longer an active admin), in the transaction that disabled it.
 */
export async function noticeWebhookDisabled(tx: Executor, webhook: WebhookRow, reason: string, at: Date): Promise<void> {
  const owner = webhook.createdById
    ? await tx.select({ id: users.id }).from(users).where(and(eq(users.id, webhook.createdById), eq(users.role, "admin"), eq(users.isActive, true)))
    : [];
  const audience = owner.length
    ? owner
    : await tx.select({ id: users.id }).from(users).where(and(eq(users.role, "admin"), eq(users.isActive, true)));
  const userIds = audience.map((u) => u.id).filter((id) => id !== SYSTEM_USER_ID);
  const name = webhook.description || new URL(webhook.url).host;
  await notifyPeople(tx, userIds, {
    kind: "webhook.disabled",
    ticketId: null,
    title: `Webhook ${name} was disabled: its deliveries keep failing`,
    data: { webhookId: webhook.id, url: webhook.url, reason },
    deliverAfter: at,
  });
}
