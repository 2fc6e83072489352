import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/client.js";
import { enqueue } from "../../src/jobs/enqueue.js";
import { JOBS_SCHEMA } from "../../src/jobs/queue.js";
import { openTestDatabase } from "../helpers/testDatabase.js";
import { createFixtureTables, fixtureJob, jobsIn, rows, spawnWorker, startTestQueue, startTestWorkers, stopWorker, waitFor, type FixtureEnv } from "./fixtures/jobTesting.js";

const isServer = Boolean(process.env.DATABASE_URL);
const JOBS = 200;
/** The worker is killed right after this many effects have committed. */
const KILL_AFTER = 50;

/** Queues JOBS jobs through a short-lived producer queue, so the worker starts on a full backlog. */
async function enqueueBacklog(database: Database) {
  await createFixtureTables(database.db);
  const job = fixtureJob({ worker: "producer", mode: "steps", lingerMs: 0 });
  const producer = await startTestQueue(database, [job], { isMaintaining: false, isDefault: false });
  await database.db.transaction(async (tx) => {
    for (let i = 0; i < JOBS; i++) await enqueue(tx, job, { id: `job-${i}` }, { queue: producer });
  });
  await producer.stop();
}

/**
 * Starts a worker process on a backlog and SIGKILLs it right after its KILL_AFTER-th effect.
 * Each handler lingers after its effect, so at that instant the job's batch is still running:
 * jobs whose effect committed are still `active` in pg-boss, never acknowledged.
 */
async function killMidBatch(env: FixtureEnv) {
  const worker = await spawnWorker({ ...env, mode: "steps", lingerMs: 150, batchSize: 20 });
  let effects = 0;
  const exited = new Promise((r) => worker.child.once("exit", r));
  worker.onLine((line) => {
    if (line.startsWith("effect ") && ++effects === KILL_AFTER) worker.child.kill("SIGKILL");
  });
  await exited;
  expect(worker.child.signalCode).toBe("SIGKILL");
}

/** Effects whose jobs pg-boss still counts as running: done, but the batch was never settled. */
async function doneButUnsettled(database: Database): Promise<number> {
  const [row] = await rows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from ${sql.raw(JOBS_SCHEMA)}.job j join test_job_effects e on e.id = j.data->>'id'
        where j.name = 'test.effect' and j.state = 'active'`,
  );
  return row!.n;
}

async function expectEveryJobDoneOnceInEffect(database: Database) {
  await waitFor(`all ${JOBS} jobs to complete`, async () => (await jobsIn(database.db, "test.effect")).filter((j) => j.state === "completed").length === JOBS, 45_000, 200);
  const effects = await rows<{ id: string; effects: number }>(database.db, sql`select id, effects from test_job_effects`);
  expect(effects).toHaveLength(JOBS);
  expect(effects.filter((e) => e.effects !== 1)).toEqual([]);
  // The interrupted jobs really ran again; their effect did not happen again.
  const rerun = await rows<{ id: string }>(database.db, sql`select id from test_job_runs where runs > 1`);
  expect(rerun.length).toBeGreaterThan(0);
}

describe("a worker killed in the middle of a batch", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it.runIf(isServer)("PostgreSQL: after SIGKILL and a restart, every job is done exactly once in effect", async () => {
    const database = await openTestDatabase();
    cleanups.push(() => database.close());
    const url = database.pool!.options.connectionString!;
    await enqueueBacklog(database);
    await killMidBatch({ url, worker: "first", mode: "steps" });
    expect(await doneButUnsettled(database)).toBeGreaterThan(0);

    const restarted = await spawnWorker({ url, worker: "restarted", mode: "steps", lingerMs: 5, batchSize: 20 });
    cleanups.push(() => stopWorker(restarted.child));
    await expectEveryJobDoneOnceInEffect(database);
  });

  it.skipIf(isServer)("PGlite (file data directory): after SIGKILL and a reopen, every job is done exactly once in effect", async () => {
    const dir = await mkdtemp(join(tmpdir(), "switchboard-crash-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const image = new Blob([await readFile(inject("testDatabaseTemplate"))]);
    const seeded = await openDatabase({ dataDir: dir, loadDataDir: image });
    await enqueueBacklog(seeded);
    await seeded.close();

    // The embedded database belongs to one process at a time: the worker process has it now.
    await killMidBatch({ pgliteDir: dir, worker: "first", mode: "steps" });

    // Reopening replays PGlite's write-ahead log, as PostgreSQL does after a crash.
    const database = await openDatabase({ dataDir: dir });
    cleanups.push(() => database.close());
    expect(await doneButUnsettled(database)).toBeGreaterThan(0);
    const job = fixtureJob({ worker: "reopened", mode: "steps", lingerMs: 5 });
    const queue = await startTestQueue(database, [job], { isDefault: false });
    cleanups.push(() => queue.stop());
    const workers = await startTestWorkers(queue, [job], 20);
    cleanups.push(() => workers.stop());
    await expectEveryJobDoneOnceInEffect(database);
  });
});
