import { PgBoss, fromPglite, type ConstructorOptions } from "pg-boss";
import type { Database } from "../db/client.js";
import type { Logger } from "../logger.js";
import type { AnyJobDefinition } from "./defineJob.js";

/** pg-boss keeps its tables here, apart from drizzle's, and creates and migrates them itself. */
export const JOBS_SCHEMA = "pgboss";

/** A dead-lettered job waits this long for an admin's retry or discard, then pg-boss deletes it. */
const DEAD_LETTER_RETENTION_SECONDS = 30 * 24 * 3600;

export type JobQueue = {
  boss: PgBoss;
  database: Database;
  /** The job definitions this process knows, by name. */
  definitions: ReadonlyMap<string, AnyJobDefinition>;
  /** Stops the workers (letting running handlers finish) and pg-boss; leaves the database open. */
  stop(): Promise<void>;
};

export type StartQueueOptions = {
  database: Database;
  definitions: readonly AnyJobDefinition[];
  log: Logger;
  /**
   * Run pg-boss's supervisor (expires the jobs of a worker that died, applies retention) and its
   * cron clock. Worker processes do; web processes only send.
   */
  isMaintaining: boolean;
  /** How often the supervisor looks for expired jobs. pg-boss's default is 60 s; tests go lower. */
  superviseIntervalSeconds?: number;
  /** Make this the queue `enqueue()` and the jobs API use when none is given (default true). */
  isDefault?: boolean;
};

/** See ensureQueues; pg-boss's minimum is 10. */
const HEARTBEAT_SECONDS = 30;

let defaultQueue: JobQueue | undefined;

/** The queue started for this process; `enqueue()` and the jobs API use it. */
export function currentQueue(): JobQueue {
  if (!defaultQueue) throw new Error("the job queue is not running in this process (startQueue was not called)");
  return defaultQueue;
}

export function hasCurrentQueue(): boolean {
  return defaultQueue !== undefined;
}

function connection(database: Database): Pick<ConstructorOptions, "db" | "backend" | "connectionString" | "max"> {
  if (database.pglite) return { db: fromPglite(database.pglite), backend: "pglite" };
  const connectionString = database.pool?.options.connectionString;
  if (!connectionString) throw new Error("the job queue needs the database's connection string");
  // pg-boss's own small pool: it holds one connection for LISTEN and settles jobs apart from
  // the app's queries, so a busy API never starves the workers of connections or the reverse.
  return { connectionString, max: 4 };
}

/** Creates each job's dead-letter queue and queue, and brings their retry settings up to date. */
async function ensureQueues(boss: PgBoss, definitions: readonly AnyJobDefinition[]) {
  for (const def of definitions) {
    await boss.createQueue(def.deadLetter, { retentionSeconds: DEAD_LETTER_RETENTION_SECONDS });
    const settings = {
      retryLimit: def.retry.retryLimit,
      retryDelay: def.retry.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: def.retry.retryDelayMaxSeconds,
      expireInSeconds: def.expireInSeconds,
      // Workers refresh a heartbeat on the jobs they hold; the supervisor retries the jobs of a
      // worker that died once it has been silent this long, instead of after expireInSeconds.
      heartbeatSeconds: HEARTBEAT_SECONDS,
      deadLetter: def.deadLetter,
      // Wakes idle workers as soon as a job commits instead of at their next poll.
      notify: true,
    };
    // createQueue leaves an existing queue alone, so a changed policy is applied with updateQueue.
    await boss.createQueue(def.name, settings);
    await boss.updateQueue(def.name, settings);
  }
}

/**
 * Starts pg-boss on the application's database: the same PGlite instance (through pg-boss's
 * `fromPglite` adapter), or the same PostgreSQL server with a pool of its own. pg-boss creates
 * or migrates its `pgboss` schema on start, under its own advisory lock, so processes starting
 * together are safe. Workers are started separately (startWorkers), only in worker roles.
 */
export async function startQueue(options: StartQueueOptions): Promise<JobQueue> {
  const boss = new PgBoss({
    ...connection(options.database),
    schema: JOBS_SCHEMA,
    application_name: "switchboard-jobs",
    useListenNotify: true,
    supervise: options.isMaintaining,
    schedule: options.isMaintaining,
    ...(options.superviseIntervalSeconds ? { superviseIntervalSeconds: options.superviseIntervalSeconds, monitorIntervalSeconds: options.superviseIntervalSeconds } : {}),
    instanceName: options.isMaintaining ? "worker" : "web",
  });
  boss.on("error", (error) => options.log.error({ err: error }, "job queue error"));
  boss.on("warning", (warning) => options.log.warn({ data: warning.data }, `job queue: ${warning.message}`));
  await boss.start();
  try {
    await ensureQueues(boss, options.definitions);
    // Idempotent; pg-boss's clock in whichever process holds its cron lock sends the jobs.
    if (options.isMaintaining) {
      for (const def of options.definitions) if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: "UTC" });
    }
  } catch (error) {
    await boss.stop({ graceful: false, close: true });
    throw error;
  }

  const queue: JobQueue = {
    boss,
    database: options.database,
    definitions: new Map(options.definitions.map((d) => [d.name, d])),
    async stop() {
      if (defaultQueue === queue) defaultQueue = undefined;
      // close: true ends pg-boss's own pool; with PGlite it never closes the shared instance.
      await boss.stop({ graceful: true, close: true, timeout: 10_000 });
    },
  };
  if (options.isDefault !== false) defaultQueue = queue;
  return queue;
}
