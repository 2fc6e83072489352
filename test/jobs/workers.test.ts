import type { ChildProcess } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { enqueue } from "../../src/jobs/enqueue.js";
import type { JobQueue } from "../../src/jobs/queue.js";
import type { Workers } from "../../src/jobs/startWorkers.js";
import { openTestDatabase } from "../helpers/testDatabase.js";
import { createFixtureTables, fixtureJob, jobsIn, rows, spawnWorker, startTestQueue, startTestWorkers, stopWorker, waitFor } from "./fixtures/jobTesting.js";

const isServer = Boolean(process.env.DATABASE_URL);
const JOBS = 300;

/** Enqueues JOBS fixture jobs, ten per transaction, and waits until every one has completed. */
async function enqueueAndDrain(database: Database, producer: JobQueue, job: ReturnType<typeof fixtureJob>) {
  for (let batch = 0; batch < JOBS / 10; batch++) {
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < 10; i++) await enqueue(tx, job, { id: `job-${batch * 10 + i}` }, { queue: producer });
    });
  }
  await waitFor(
    `all ${JOBS} jobs to complete`,
    async () => (await jobsIn(database.db, job.name)).filter((j) => j.state === "completed").length === JOBS,
    45_000,
    200,
  );
}

async function runsByWorker(database: Database) {
  const runs = await rows<{ id: string; worker: string; runs: number }>(database.db, sql`select id, worker, runs from test_job_runs`);
  const perWorker = new Map<string, number>();
  for (const r of runs) perWorker.set(r.worker, (perWorker.get(r.worker) ?? 0) + 1);
  return { runs, perWorker };
}

describe("several workers on one database", () => {
  let database: Database;
  let producer: JobQueue;
  const job = fixtureJob({ worker: "producer", mode: "count", lingerMs: 5 });
  beforeAll(async () => {
    database = await openTestDatabase();
    await createFixtureTables(database.db);
    producer = await startTestQueue(database, [job], { isMaintaining: false });
  });
  afterAll(async () => {
    await producer.stop();
    await database.close();
  });

  it.runIf(isServer)("two worker processes on PostgreSQL do every job exactly once between them", async () => {
    const url = database.pool!.options.connectionString!;
    const children: ChildProcess[] = [];
    try {
      const started = await Promise.all(["process-a", "process-b"].map((worker) => spawnWorker({ url, worker, mode: "count", lingerMs: 5, batchSize: 10 })));
      children.push(...started.map((s) => s.child));
      await enqueueAndDrain(database, producer, job);
    } finally {
      await Promise.all(children.map((c) => stopWorker(c)));
    }
    const { runs, perWorker } = await runsByWorker(database);
    expect(runs).toHaveLength(JOBS);
    expect(runs.filter((r) => r.runs !== 1)).toEqual([]);
    // Both processes took part (batches of 10, so neither can have taken everything at once).
    expect(perWorker.get("process-a")).toBeGreaterThan(0);
    expect(perWorker.get("process-b")).toBeGreaterThan(0);
  });

  it.skipIf(isServer)("PGlite (one process only): two pg-boss instances in one process do every job exactly once between them", async () => {
    const jobA = fixtureJob({ worker: "instance-a", mode: "count", lingerMs: 5 });
    const jobB = fixtureJob({ worker: "instance-b", mode: "count", lingerMs: 5 });
    const queueA = await startTestQueue(database, [jobA], { isDefault: false });
    const queueB = await startTestQueue(database, [jobB], { isDefault: false });
    const workers: Workers[] = [await startTestWorkers(queueA, [jobA]), await startTestWorkers(queueB, [jobB])];
    try {
      await enqueueAndDrain(database, producer, job);
    } finally {
      for (const w of workers) await w.stop();
      await queueA.stop();
      await queueB.stop();
    }
    const { runs, perWorker } = await runsByWorker(database);
    expect(runs).toHaveLength(JOBS);
    expect(runs.filter((r) => r.runs !== 1)).toEqual([]);
    expect(perWorker.get("instance-a")).toBeGreaterThan(0);
    expect(perWorker.get("instance-b")).toBeGreaterThan(0);
  });
});
