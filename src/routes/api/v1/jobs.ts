import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../../errors.js";
import { discardFailedJob } from "../../../jobs/discardFailedJob.js";
import { listFailedJobs, type FailedJob } from "../../../jobs/listFailedJobs.js";
import { currentQueue, hasCurrentQueue } from "../../../jobs/queue.js";
import { retryFailedJob } from "../../../jobs/retryFailedJob.js";
import { page, ZProblem } from "../../../presenters/schemas.js";
import type { RouteOptions } from "./index.js";

const ZFailedJob = z
  .object({
    id: z.uuid().meta({ description: "For a dead job, its id in the dead-letter queue: the one retry and discard take." }),
    name: z.string(),
    state: z.enum(["dead", "retrying"]),
    payload: z.unknown().meta({ description: "Keys named like secret, token or password are redacted." }),
    lastError: z.string().nullable(),
    attempts: z.number().int(),
    createdAt: z.iso.datetime(),
    deadLetteredAt: z.iso.datetime().nullable(),
    nextAttemptAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "FailedJob", description: "dead: failed for good, waiting for retry or discard. retrying: failed, next attempt scheduled." });

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const present = (job: FailedJob) => ({
  ...job,
  createdAt: job.createdAt.toISOString(),
  deadLetteredAt: iso(job.deadLetteredAt),
  nextAttemptAt: iso(job.nextAttemptAt),
});
const problems = { 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 409: ZProblem, 503: ZProblem };
const ZJobRef = z.object({ jobId: z.uuid() });

/** The queue this process runs; every role starts one, so 503 means a misconfigured process. */
function queue() {
  if (!hasCurrentQueue()) throw new AppError("UNAVAILABLE", "the job queue is not running in this process");
  return currentQueue();
}

/** Admin view of background jobs that failed: the dead-letter state and the retry backlog. */
export async function jobRoutes(fastify: FastifyInstance, _opts: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    "/jobs",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["jobs"],
        summary: "Failed jobs, newest first: dead-lettered ones and ones waiting to retry, with their last error",
        querystring: z.strictObject({
          state: z.enum(["dead", "retrying"]).optional(),
          name: z.string().max(200).optional(),
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: page(ZFailedJob), ...problems },
      },
    },
    async (req) => {
      const result = await listFailedJobs(queue(), req.query);
      return { items: result.items.map(present), nextCursor: result.nextCursor };
    },
  );

  app.post(
    "/jobs/:jobId/retry",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["jobs"],
        summary: "Run a failed job again: a dead one gets a fresh set of attempts, a retrying one runs now",
        params: ZJobRef,
        response: { 202: ZFailedJob, ...problems },
      },
    },
    async (req, reply) => reply.code(202).send(present(await retryFailedJob(queue(), req.params.jobId))),
  );

  app.post(
    "/jobs/:jobId/discard",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["jobs"],
        summary: "Give up on a failed job: a dead one is deleted, a retrying one is cancelled",
        params: ZJobRef,
        response: { 200: ZFailedJob, ...problems },
      },
    },
    async (req) => present(await discardFailedJob(queue(), req.params.jobId)),
  );
}
