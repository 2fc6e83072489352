import { sql } from "drizzle-orm";
import { fromDrizzle, type DrizzleTransactionLike } from "pg-boss";
import type { z } from "zod";
import type { Tx } from "../db/client.js";
import { InvalidJobPayloadError, type JobDefinition, type PayloadSchema } from "./defineJob.js";
import { currentQueue, type JobQueue } from "./queue.js";

export type EnqueueOptions = {
  /** Run no earlier than this instant, or this many seconds from now. */
  startAfter?: Date | number;
  /** Higher runs first. */
  priority?: number;
  /** At most one queued job per key (pg-boss singletonKey): a second enqueue returns null. */
  singletonKey?: string;
  /** Defaults to the process's queue (startQueue). */
  queue?: JobQueue;
};

/** The queue to send on, once every payload matches the job's schema (a mismatch is a bug and throws). */
function checkedQueue<S extends PayloadSchema>(job: JobDefinition<S>, payloads: readonly z.input<S>[], given: JobQueue | undefined): JobQueue {
  for (const payload of payloads) {
    const parsed = job.payload.safeParse(payload);
    if (!parsed.success) throw new InvalidJobPayloadError(job.name, parsed.error.issues);
  }
  const queue = given ?? currentQueue();
  if (!queue.definitions.has(job.name)) throw new Error(`job ${job.name} is not registered with the queue (add it to jobRegistry.ts)`);
  return queue;
}

/**
 * Through the transaction's own connection. On PGlite a send outside it would wait for the
 * transaction to end, which waits for the send: a deadlock.
 * (The cast: our Db type spans both drivers, so `execute` is typed loosely; both return { rows }.)
 */
const throughTransaction = (tx: Tx) => fromDrizzle(tx as unknown as DrizzleTransactionLike, sql);

/**
 * Adds a job inside the caller's transaction: it exists if and only if the transaction commits,
 * so a change and its side effects commit together (the outbox rule, STYLE.md point 3). The
 * payload is checked against the job's schema first; a mismatch is a bug and throws.
 * Returns the job id (null when `singletonKey` matched a queued job).
 */
export async function enqueue<S extends PayloadSchema>(tx: Tx, job: JobDefinition<S>, payload: z.input<S>, options: EnqueueOptions = {}): Promise<string | null> {
  const queue = checkedQueue(job, [payload], options.queue);
  // The payload as given, not as parsed: the worker parses it again, so defaults and transforms
  // apply once, at run time, with the code that runs it.
  return queue.boss.send(job.name, payload as object, {
    db: throughTransaction(tx),
    ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    ...(options.singletonKey !== undefined ? { singletonKey: options.singletonKey } : {}),
  });
}

/** `enqueue` for many jobs of one kind: one statement for them all, with the queue's settings. */
export async function enqueueMany<S extends PayloadSchema>(tx: Tx, job: JobDefinition<S>, payloads: readonly z.input<S>[], options: Pick<EnqueueOptions, "queue"> = {}): Promise<void> {
  if (payloads.length === 0) return;
  const queue = checkedQueue(job, payloads, options.queue);
  await queue.boss.insert(
    job.name,
    payloads.map((data) => ({ data: data as object })),
    { db: throughTransaction(tx) },
  );
}
