import { lt } from "drizzle-orm";
import { z } from "zod";
import { jobSteps } from "../db/schema/index.js";
import { defineJob } from "./defineJob.js";

/**
 * Deletes durable-step records old enough that no retry can need them: longer than a job's
 * retry window plus its 30 days in the dead-letter queue. Runs nightly in worker processes.
 */
export const pruneJobSteps = defineJob({
  name: "jobs.prune-steps",
  payload: z.object({ olderThanDays: z.number().int().min(31).default(45) }),
  cron: "17 3 * * *",
  retry: { retryLimit: 3 },
  async handler({ olderThanDays }, { db, log }) {
    const deleted = await db
      .delete(jobSteps)
      .where(lt(jobSteps.createdAt, new Date(Date.now() - olderThanDays * 86_400_000)))
      .returning({ jobId: jobSteps.jobId });
    if (deleted.length) log.info({ deleted: deleted.length }, "pruned old job steps");
  },
});
