import { AppError, notFound } from "../errors.js";
import { findJob, type FailedJob } from "./listFailedJobs.js";
import type { JobQueue } from "./queue.js";

/**
 * An admin's discard: a dead job is deleted from its dead-letter queue; a retrying job is
 * cancelled, so no further attempt runs. Its finished durable steps stay until pruned.
 */
export async function discardFailedJob(queue: JobQueue, id: string): Promise<FailedJob> {
  const job = await findJob(queue, id);
  if (!job) throw notFound("job");
  if (!job.failed) throw new AppError("CONFLICT", `the job is ${job.state}, not failed`);
  const result =
    job.failed.state === "dead" ? await queue.boss.deleteJob(job.queueName, id) : await queue.boss.cancel(job.queueName, id);
  // pg-boss types the response as an empty interface; at run time it carries `affected`.
  if ((result as { affected?: number }).affected !== 1) throw new AppError("CONFLICT", "the job changed state meanwhile; reload and try again");
  return job.failed;
}
