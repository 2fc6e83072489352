import { AppError, notFound } from "../errors.js";
import { findJob, type FailedJob } from "./listFailedJobs.js";
import type { JobQueue } from "./queue.js";

/**
 * An admin's retry. A dead job is moved back to its queue as a new job with a fresh set of
 * attempts (pg-boss redrive); it keeps its root id, so durable steps it finished are not redone.
 * A retrying job runs now instead of at its backoff time.
 */
export async function retryFailedJob(queue: JobQueue, id: string): Promise<FailedJob> {
  const job = await findJob(queue, id);
  if (!job) throw notFound("job");
  if (!job.failed) throw new AppError("CONFLICT", `the job is ${job.state}, not failed`);
  if (job.failed.state === "dead") {
    const moved = await queue.boss.redrive(job.queueName, { ids: [id], limit: 1 });
    if (moved !== 1) throw new AppError("CONFLICT", "the job could not be moved back to its queue; it is still dead-lettered");
  } else {
    const { updated } = await queue.boss.update(job.queueName, undefined, { id, startAfter: new Date() });
    if (updated !== 1) throw new AppError("CONFLICT", "the job is already running again");
  }
  return job.failed;
}
