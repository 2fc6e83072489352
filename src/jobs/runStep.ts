import { and, eq } from "drizzle-orm";
import type { Db, Executor } from "../db/client.js";
import { jobSteps } from "../db/schema/index.js";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** What a step may return: JSON (it is stored as jsonb and handed to retries), or nothing. */
export type StepResult = JsonValue | void;

export type StepRun = {
  /** The step's transaction (default), or the database for a step run with `isTransactional: false`. */
  db: Executor;
  /**
   * `<root job id>:<step key>`, the same on every attempt: send it as the remote's idempotency
   * key, or write it into the remote object as a marker and search for it before creating.
   */
  idempotencyKey: string;
};

export type StepOptions = {
  /**
   * true (default): `fn` runs inside a transaction that also records the step, so its local
   * writes and the record commit together or not at all. Keep such steps short: on the embedded
   * database an open transaction holds the only connection.
   * false: for a remote call. `fn` runs without a transaction and the record is written after it
   * returns; a crash in between runs `fn` again on the retry, so it must be idempotent (see
   * `idempotencyKey`).
   */
  isTransactional?: boolean;
};

const asStored = (value: StepResult): JsonValue => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue));

async function recorded(db: Executor, jobId: string, stepKey: string) {
  const [row] = await db
    .select({ result: jobSteps.result })
    .from(jobSteps)
    .where(and(eq(jobSteps.jobId, jobId), eq(jobSteps.stepKey, stepKey)));
  return row;
}

/**
 * Runs one durable step of job `jobId` (its root id): the first run that finishes records the
 * result in `job_steps`, and every later run of that job (a retry after a failure, a crash, or an
 * admin's retry) gets the recorded result back without running `fn`.
 *
 * Semantics are at-least-once, made effectively-once where possible: a transactional step's local
 * writes commit with its record, so they happen exactly once; a remote call can be repeated if
 * the process dies after the call and before the record commits, which `idempotencyKey` exists for.
 * Two runs of the same job at once (one that outlived its expiry and its retry) serialise on the
 * step's row: the second waits for the first to commit, then reuses its result.
 */
export async function runStep<T extends StepResult>(
  db: Db,
  jobId: string,
  stepKey: string,
  fn: (run: StepRun) => Promise<T>,
  options: StepOptions = {},
): Promise<T> {
  const done = await recorded(db, jobId, stepKey);
  if (done) return done.result as T;
  const idempotencyKey = `${jobId}:${stepKey}`;

  if (options.isTransactional === false) {
    const result = asStored(await fn({ db, idempotencyKey }));
    await db.insert(jobSteps).values({ jobId, stepKey, result }).onConflictDoNothing();
    // A concurrent run may have recorded first; its result is the one every later run will see.
    return (await recorded(db, jobId, stepKey))!.result as T;
  }

  return db.transaction(async (tx) => {
    // Claim the step first: a concurrent run's insert blocks on this uncommitted row until we
    // commit (then finds it) or roll back (then runs the step itself).
    const claimed = await tx.insert(jobSteps).values({ jobId, stepKey, result: null }).onConflictDoNothing().returning({ jobId: jobSteps.jobId });
    if (claimed.length === 0) return (await recorded(tx, jobId, stepKey))!.result as T;
    const result = asStored(await fn({ db: tx, idempotencyKey }));
    await tx.update(jobSteps).set({ result }).where(and(eq(jobSteps.jobId, jobId), eq(jobSteps.stepKey, stepKey)));
    return result as T;
  });
}
