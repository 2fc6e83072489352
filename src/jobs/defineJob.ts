import type { z } from "zod";
import type { Db } from "../db/client.js";
import type { Logger } from "../logger.js";
import type { StepOptions, StepResult, StepRun } from "./runStep.js";

/**
 * How a failing job is retried: `retryLimit` more attempts after the first, the n-th waiting
 * `retryDelaySeconds × 2^(n-1)` plus up to as much again of random jitter, never more than
 * `retryDelayMaxSeconds` (pg-boss's `retryBackoff`). After the last attempt the job goes to its
 * dead-letter queue, where an admin sees it at GET /api/v1/jobs.
 */
export type RetryPolicy = {
  retryLimit: number;
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
};

/** About 10 s, 20 s, 40 s … capped at an hour: eight retries span roughly one to two hours. */
export const defaultRetryPolicy: RetryPolicy = { retryLimit: 8, retryDelaySeconds: 10, retryDelayMaxSeconds: 3600 };

/** What a handler gets besides its (validated) payload. */
export type JobContext = {
  /** pg-boss id of the job being run. */
  jobId: string;
  /**
   * The id `enqueue` returned. Unlike `jobId` it survives an admin's retry from the dead-letter
   * queue (which re-creates the job under a new id), so durable steps are keyed by it.
   */
  rootId: string;
  /** 1 on the first run. */
  attempt: number;
  name: string;
  db: Db;
  log: Logger;
  /** Aborted when pg-boss gives up on this run (expiry, shutdown): stop remote calls early. */
  signal: AbortSignal;
  /** A durable step (see runStep): done once per job however often the job is retried. */
  step<T extends StepResult>(stepKey: string, fn: (run: StepRun) => Promise<T>, options?: StepOptions): Promise<T>;
};

/** Job payloads are JSON objects (pg-boss stores them as jsonb `data`). */
export type PayloadSchema = z.ZodType<object, object>;

export type JobDefinition<S extends PayloadSchema = PayloadSchema> = {
  /** Queue name: letters, digits and `_ . - /` (a pg-boss rule). */
  name: string;
  /** Checked when the job is enqueued (a mismatch throws) and again when it runs (a mismatch dead-letters it). */
  payload: S;
  handler: (payload: z.output<S>, ctx: JobContext) => Promise<unknown>;
  retry: RetryPolicy;
  /** Where the job goes when it has failed for good: `<name>.dead` unless told otherwise. */
  deadLetter: string;
  /** How long one run may take before pg-boss fails it and hands it to the next attempt. */
  expireInSeconds: number;
  /** Also enqueue it on this cron schedule (UTC), with an empty payload. */
  cron?: string | undefined;
};

/** Any job definition, whatever its payload type: what registries and workers hold. */
export type AnyJobDefinition = JobDefinition<any>;

export type JobInput<S extends PayloadSchema> = {
  name: string;
  payload: S;
  handler: JobDefinition<S>["handler"];
  retry?: Partial<RetryPolicy>;
  deadLetter?: string;
  expireInSeconds?: number;
  cron?: string;
};

const QUEUE_NAME = /^[\w.\-/]+$/;

/**
 * Declares a background job: a name, a zod payload, a handler, its retry policy and its
 * dead-letter queue. Register it in `jobRegistry.ts` so workers run it and queues exist for it.
 */
export function defineJob<S extends PayloadSchema>(input: JobInput<S>): JobDefinition<S> {
  if (!QUEUE_NAME.test(input.name)) throw new Error(`job name ${JSON.stringify(input.name)}: use letters, digits and _ . - /`);
  const retry = { ...defaultRetryPolicy, ...input.retry };
  const isWhole = (n: number) => Number.isInteger(n) && n >= 0;
  if (!isWhole(retry.retryLimit) || !isWhole(retry.retryDelaySeconds) || !isWhole(retry.retryDelayMaxSeconds)) {
    throw new Error(`job ${input.name}: retry settings are whole numbers of attempts and seconds`);
  }
  return {
    name: input.name,
    payload: input.payload,
    handler: input.handler,
    retry,
    deadLetter: input.deadLetter ?? `${input.name}.dead`,
    expireInSeconds: input.expireInSeconds ?? 15 * 60,
    cron: input.cron,
  };
}

/**
 * Thrown by a handler when retrying cannot help (a payload the remote rejects as invalid, a
 * mapping that does not apply): the job goes straight to its dead-letter queue.
 */
export class PermanentJobError extends Error {
  override readonly name = "PermanentJobError";
}

/** Thrown by `enqueue` when a payload does not match its job's schema: a bug in the caller. */
export class InvalidJobPayloadError extends Error {
  override readonly name = "InvalidJobPayloadError";
  constructor(
    readonly job: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(`payload for job ${job} does not match its schema: ${issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  }
}
