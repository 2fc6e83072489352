import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { webhooks } from "../../db/schema/index.js";
import type { WebhookEvent } from "../../connectors/webhooks/events.js";
import type { WebhookSettings } from "../../connectors/webhooks/webhookSettings.js";
import { notFound } from "../../errors.js";
import type { Actor } from "../../policies/actor.js";
import { checkWebhookUrl } from "./checkWebhookUrl.js";

export type WebhookChanges = {
  url?: string | undefined;
  events?: WebhookEvent[] | undefined;
  description?: string | undefined;
  active?: boolean | undefined;
};

/**
 * Changes a webhook. Enabling a disabled one starts it afresh: its failure streak and the reason
 * it was disabled are cleared. Disabling it by hand records who did.
 */
export async function updateWebhook(options: { db: Db; actor: Actor; settings: WebhookSettings; webhookId: string; changes: WebhookChanges }) {
  const { changes } = options;
  const url = changes.url === undefined ? undefined : await checkWebhookUrl(changes.url, options.settings);
  return options.db.transaction(async (tx) => {
    const [current] = await tx.select().from(webhooks).where(eq(webhooks.id, options.webhookId)).for("update");
    if (!current) throw notFound("webhook");
    const now = new Date();
    const update: Partial<typeof webhooks.$inferInsert> = { updatedAt: now };
    if (url !== undefined) update.url = url;
    if (changes.events !== undefined) update.events = [...new Set(changes.events)];
    if (changes.description !== undefined) update.description = changes.description;
    if (changes.active === true && !current.isActive) {
      Object.assign(update, { isActive: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0, failingSince: null });
    }
    if (changes.active === false && current.isActive) {
      Object.assign(update, { isActive: false, disabledAt: now, disabledReason: `disabled by ${options.actor.name}` });
    }
    const [row] = await tx.update(webhooks).set(update).where(eq(webhooks.id, current.id)).returning();
    return row!;
  });
}
