import type { JobResult, JobWithMetadata } from "pg-boss";
import type { Logger } from "../logger.js";
import { PermanentJobError, type AnyJobDefinition, type JobContext, type PayloadSchema } from "./defineJob.js";
import type { JobQueue } from "./queue.js";
import { runStep } from "./runStep.js";

export type WorkerOptions = {
  log: Logger;
  /**
   * Jobs claimed per fetch and run together. pg-boss's default of one job per poll manages about
   * 0.5 jobs/s per worker (DESIGN.md §2); a batch claims many in one statement.
   */
  batchSize?: number;
  /** Fetch loops per queue in this process. */
  concurrency?: number;
  /**
   * How often an idle worker looks for due jobs (default 2 s). A new job wakes workers at once
   * through NOTIFY, but a retry whose backoff ends, or a delayed job, is found by this poll.
   */
  pollingIntervalSeconds?: number;
};

export type Workers = { stop(): Promise<void> };

export const DEFAULT_BATCH_SIZE = 20;

/** What a failed run leaves on the job: shown as the last error in GET /api/v1/jobs. */
function errorOutput(error: unknown): { message: string; name?: string; stack?: string } {
  if (error instanceof Error) return { message: error.message, name: error.name, ...(error.stack ? { stack: error.stack.slice(0, 4000) } : {}) };
  return { message: String(error) };
}

async function runJob(queue: JobQueue, def: AnyJobDefinition, job: JobWithMetadata<unknown>, log: Logger): Promise<JobResult> {
  const schema: PayloadSchema = def.payload;
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) {
    // Retrying cannot fix a payload; dead-letter it at once with the reason.
    const message = `payload does not match the schema of job ${def.name}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`;
    log.error({ job: def.name, jobId: job.id }, message);
    return { id: job.id, status: "deadletter", output: { message, name: "InvalidJobPayload", issues: parsed.error.issues } };
  }
  const rootId = job.sourceRootId ?? job.id;
  const jobLog = log.child({ job: def.name, jobId: job.id, attempt: job.retryCount + 1 });
  const ctx: JobContext = {
    jobId: job.id,
    rootId,
    attempt: job.retryCount + 1,
    name: def.name,
    db: queue.database.db,
    log: jobLog,
    signal: job.signal,
    step: (stepKey, fn, options) => runStep(queue.database.db, rootId, stepKey, fn, options),
  };
  try {
    await def.handler(parsed.data, ctx);
    return { id: job.id, status: "completed" };
  } catch (error) {
    const isPermanent = error instanceof PermanentJobError;
    jobLog.warn({ err: error }, isPermanent ? "job failed for good; dead-lettered" : "job failed; it will be retried while attempts remain");
    return { id: job.id, status: isPermanent ? "deadletter" : "failed", output: errorOutput(error) };
  }
}

/**
 * Runs the handlers of `definitions` in this process. Each queue is worked in batches: pg-boss
 * claims up to `batchSize` jobs with FOR UPDATE SKIP LOCKED, so any number of worker processes
 * can share one database without two of them taking the same job. The jobs of a batch run
 * concurrently and are settled one by one: a failure retries (or dead-letters) only its own job.
 */
export async function startWorkers(queue: JobQueue, definitions: readonly AnyJobDefinition[], options: WorkerOptions): Promise<Workers> {
  const started: string[] = [];
  for (const def of definitions) {
    if (queue.definitions.get(def.name) !== def) throw new Error(`job ${def.name} is not registered with this queue`);
    await queue.boss.work(
      def.name,
      {
        batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
        localConcurrency: options.concurrency ?? 1,
        pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
        // pg-boss relaxes polling to 30 s while NOTIFY works; retries would then wait that long.
        notifyPollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
        burstWhenBatchFull: true,
        includeMetadata: true,
        perJobResults: true,
      },
      (jobs) => Promise.all(jobs.map((job) => runJob(queue, def, job, options.log))),
    );
    started.push(def.name);
  }
  return {
    async stop() {
      // Waits for running batches to finish and settle; their jobs are not run twice.
      for (const name of started) await queue.boss.offWork(name, { wait: true });
    },
  };
}
