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

/**
 * Adds a job inside the caller's transaction: it exists if and only if the transaction commits,
 * so a change and its side effects commit together (the outbox rule, STYLE.md point 3). The
 * payload is checked against the job's schema first; a mismatch is a bug and throws.
 * Returns the job id (null when `singletonKey` matched a queued job).
 */
export async function enqueue<S extends PayloadSchema>(tx: Tx, job: JobDefinition<S>, payload: z.input<S>, options: EnqueueOptions = {}): Promise<string | null> {
  const parsed = job.payload.safeParse(payload);
  if (!parsed.success) throw new InvalidJobPayloadError(job.name, parsed.error.issues);
  const queue = options.queue ?? currentQueue();
  if (!queue.definitions.has(job.name)) throw new Error(`job ${job.name} is not registered with the queue (add it to jobRegistry.ts)`);
  // The payload as given, not as parsed: the worker parses it again, so defaults and transforms
  // apply once, at run time, with the code that runs it.
  return queue.boss.send(job.name, payload as object, {
    // Through the transaction's own connection. On PGlite a send outside it would wait for the
    // transaction to end, which waits for the send: a deadlock.
    // (The cast: our Db type spans both drivers, so `execute` is typed loosely; both return { rows }.)
    db: fromDrizzle(tx as unknown as DrizzleTransactionLike, sql),
    ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    ...(options.singletonKey !== undefined ? { singletonKey: options.singletonKey } : {}),
  });
}
