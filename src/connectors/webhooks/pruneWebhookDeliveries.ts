import { and, lt, ne } from "drizzle-orm";
import { z } from "zod";
import { webhookDeliveries } from "../../db/schema/index.js";
import { defineJob } from "../../jobs/defineJob.js";

/**
 * Keeps the delivery log to its last 30 days (attempts go with their delivery). A delivery still
 * being attempted is kept whatever its age. Runs nightly in worker processes.
 */
export const pruneWebhookDeliveries = defineJob({
  name: "webhooks.prune-deliveries",
  payload: z.object({ olderThanDays: z.number().int().min(1).default(30) }),
  cron: "37 3 * * *",
  retry: { retryLimit: 3 },
  async handler({ olderThanDays }, { db, log }) {
    const deleted = await db
      .delete(webhookDeliveries)
      .where(and(lt(webhookDeliveries.createdAt, new Date(Date.now() - olderThanDays * 86_400_000)), ne(webhookDeliveries.status, "pending")))
      .returning({ id: webhookDeliveries.id });
    if (deleted.length) log.info({ deleted: deleted.length }, "pruned old webhook deliveries");
  },
});
