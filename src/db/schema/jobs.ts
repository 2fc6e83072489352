import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Finished steps of background jobs (src/jobs/runStep.ts). A retried job finds its earlier steps
 * here and reuses their results instead of doing them again. `job_id` is the job's root id: the id
 * `send()` returned, which survives retries and an admin's retry from the dead-letter queue.
 * pg-boss's own tables live in the `pgboss` schema, created and migrated by pg-boss itself.
 */
export const jobSteps = pgTable(
  "job_steps",
  {
    jobId: uuid("job_id").notNull(),
    stepKey: text("step_key").notNull(),
    /** What the step returned (JSON), handed back to a retry. */
    result: jsonb("result"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.stepKey] }), index("job_steps_created_at_idx").on(t.createdAt)],
);
