import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { webhooks } from "../../db/schema/index.js";
import { notFound } from "../../errors.js";

/** Deletes a webhook and its delivery log; jobs still queued for it find nothing and end. */
export async function deleteWebhook(db: Db, webhookId: string): Promise<void> {
  const deleted = await db.delete(webhooks).where(eq(webhooks.id, webhookId)).returning({ id: webhooks.id });
  if (deleted.length === 0) throw notFound("webhook");
}
