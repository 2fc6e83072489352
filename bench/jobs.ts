/**
 * Job queue throughput, end to end: a transaction writes a domain row and enqueues a job (the
 * outbox), a worker runs the handler, the handler records that it ran. Measured with one and two
 * workers on the embedded database (PGlite) and on PostgreSQL. Writes bench/results/jobs.{json,md}.
 *
 *   npx tsx bench/jobs.ts [--jobs N] [--producers P] [--batch-size B] [--database-url URL] [--only pglite|postgres]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { writeResultFiles } from "./resultFiles.js";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import pg from "pg";
import { openDatabase, type Database } from "../src/db/client.js";
import { runMigrations } from "../src/db/migrate.js";
import { enqueue } from "../src/jobs/enqueue.js";
import { startQueue, type JobQueue } from "../src/jobs/queue.js";
import { startWorkers, type Workers } from "../src/jobs/startWorkers.js";
import { createLogger } from "../src/logger.js";
import { describeMachine, type Machine } from "./machine.js";
import { summarize, type LatencySummary } from "./stats.js";
import { benchJob, createBenchTables } from "./jobsDefinition.js";

const log = (line: string) => process.stdout.write(`${line}\n`);
const quiet = createLogger("warn");

type Options = { jobs: number; producers: number; batchSize: number; databaseUrl: string; only?: "pglite" | "postgres" };

type ScenarioResult = {
  database: "pglite" | "postgres";
  workers: number;
  /** How the workers ran: separate processes, or pg-boss instances sharing this process. */
  workerKind: string;
  jobs: number;
  /** Producers enqueueing alone (no worker running): transactions per second, one job each. */
  enqueuePerSecond: number;
  /** Workers draining that backlog: first to last handler finish. */
  drainJobsPerSecond: number;
  /** Producers and workers together: first enqueue to last handler finish. */
  endToEndJobsPerSecond: number;
  /** Enqueue (before commit) to handler finish, while producing and working together. */
  endToEndLatencyMs: LatencySummary;
};

function parse(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { jobs: { type: "string" }, producers: { type: "string" }, "batch-size": { type: "string" }, "database-url": { type: "string" }, only: { type: "string" } },
  });
  const only = values.only;
  if (only !== undefined && only !== "pglite" && only !== "postgres") throw new Error("--only must be pglite or postgres");
  return {
    jobs: Number(values.jobs ?? 2000),
    producers: Number(values.producers ?? 8),
    batchSize: Number(values["batch-size"] ?? 20),
    databaseUrl: values["database-url"] ?? process.env.BENCH_JOBS_DATABASE_URL ?? "postgres://switchboard:switchboard@127.0.0.1:5432/switchboard_bench_jobs",
    ...(only ? { only } : {}),
  };
}

/** `jobs` transactions spread over `producers` concurrent loops, each a domain row plus its job. */
async function produce(database: Database, queue: JobQueue, from: number, jobs: number, producers: number): Promise<number> {
  const started = performance.now();
  let next = from;
  const end = from + jobs;
  await Promise.all(
    Array.from({ length: producers }, async () => {
      for (let n = next++; n < end; n = next++) {
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`insert into bench_jobs_source (n) values (${n})`);
          await enqueue(tx, benchJob, { n, enqueuedAt: Date.now() }, { queue });
        });
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function doneCount(database: Database): Promise<number> {
  const result = (await database.db.execute(sql`select count(*)::int as n from bench_jobs_done`)) as unknown as { rows: { n: number }[] };
  return result.rows[0]!.n;
}

async function waitForDone(database: Database, count: number, timeoutSeconds = 600): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while ((await doneCount(database)) < count) {
    if (Date.now() > deadline) throw new Error(`only ${await doneCount(database)} of ${count} jobs finished in ${timeoutSeconds}s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function drainRate(database: Database, below: number): Promise<number> {
  const result = (await database.db.execute(
    sql`select count(*)::int as n, extract(epoch from max(done_at) - min(done_at))::float8 as s from bench_jobs_done where n < ${below}`,
  )) as unknown as { rows: { n: number; s: number }[] };
  const { n, s } = result.rows[0]!;
  return (n - 1) / s;
}

async function latencies(database: Database, from: number): Promise<LatencySummary> {
  const result = (await database.db.execute(sql`select latency_ms from bench_jobs_done where n >= ${from}`)) as unknown as { rows: { latency_ms: number }[] };
  return summarize(result.rows.map((r) => Number(r.latency_ms)));
}

type WorkerSet = { kind: string; stop(): Promise<void> };

/** PGlite serves one process, so two workers there are two pg-boss instances in this process. */
async function inProcessWorkers(database: Database, count: number, batchSize: number): Promise<WorkerSet> {
  const started: { queue: JobQueue; workers: Workers }[] = [];
  for (let i = 0; i < count; i++) {
    const queue = await startQueue({ database, definitions: [benchJob], log: quiet, isMaintaining: i === 0, isDefault: false });
    started.push({ queue, workers: await startWorkers(queue, [benchJob], { log: quiet, batchSize }) });
  }
  return {
    kind: count === 1 ? "one pg-boss instance in the benchmark process" : `${count} pg-boss instances in the benchmark process`,
    async stop() {
      for (const s of started) {
        await s.workers.stop();
        await s.queue.stop();
      }
    },
  };
}

function spawnWorker(url: string, batchSize: number): Promise<ChildProcess> {
  const script = fileURLToPath(new URL("./jobsWorker.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, BENCH_JOBS_DATABASE_URL: url, BENCH_JOBS_BATCH_SIZE: String(batchSize) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`bench worker exited with ${code}`)));
  });
}

async function processWorkers(url: string, count: number, batchSize: number): Promise<WorkerSet> {
  const children = await Promise.all(Array.from({ length: count }, () => spawnWorker(url, batchSize)));
  return {
    kind: count === 1 ? "one worker process" : `${count} worker processes`,
    async stop() {
      await Promise.all(
        children.map((child) => {
          const exited = new Promise((r) => child.once("exit", r));
          child.kill("SIGTERM");
          return exited;
        }),
      );
    },
  };
}

/** One scenario on a fresh database: enqueue a backlog alone, drain it, then produce and work together. */
async function scenario(
  kind: "pglite" | "postgres",
  database: Database,
  startWorkerSet: () => Promise<WorkerSet>,
  workers: number,
  options: Options,
): Promise<ScenarioResult> {
  await createBenchTables(database.db);
  const producer = await startQueue({ database, definitions: [benchJob], log: quiet, isMaintaining: false, isDefault: false });
  try {
    const enqueueSeconds = await produce(database, producer, 0, options.jobs, options.producers);
    const set = await startWorkerSet();
    try {
      await waitForDone(database, options.jobs);
      const drain = await drainRate(database, options.jobs);
      const started = performance.now();
      await produce(database, producer, options.jobs, options.jobs, options.producers);
      await waitForDone(database, 2 * options.jobs);
      const endToEndSeconds = (performance.now() - started) / 1000;
      return {
        database: kind,
        workers,
        workerKind: set.kind,
        jobs: options.jobs,
        enqueuePerSecond: Math.round(options.jobs / enqueueSeconds),
        drainJobsPerSecond: Math.round(drain),
        endToEndJobsPerSecond: Math.round(options.jobs / endToEndSeconds),
        endToEndLatencyMs: await latencies(database, options.jobs),
      };
    } finally {
      await set.stop();
    }
  } finally {
    await producer.stop();
  }
}

/** The same server's `postgres` database, which exists whatever the bench database's state. */
function maintenanceUrl(url: string): string {
  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  return maintenance.toString();
}

async function freshServerDatabase(url: string): Promise<Database> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: maintenanceUrl(url) });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const database = await openDatabase({ url, poolSize: 20 });
  await runMigrations(database);
  return database;
}

function markdown(result: { date: string; machine: Machine; options: Omit<Options, "databaseUrl">; scenarios: ScenarioResult[] }): string {
  const m = result.machine;
  const rows = result.scenarios.map(
    (s) =>
      `| ${s.database} | ${s.workerKind} | ${s.jobs} | ${s.enqueuePerSecond} | ${s.drainJobsPerSecond} | ${s.endToEndJobsPerSecond} | ${s.endToEndLatencyMs.p50 ?? "-"} | ${s.endToEndLatencyMs.p95 ?? "-"} |`,
  );
  return `# Job queue benchmark

Generated by \`npx tsx bench/jobs.ts\` on ${result.date}.

Each transaction inserts a domain row and enqueues one job through \`enqueue()\` (pg-boss \`send\` on the
transaction's connection); the handler inserts one row. Per scenario, on a fresh database:
**enqueue** = ${result.options.producers} concurrent producers alone (transactions/s); **drain** = the workers
emptying that backlog of ${result.options.jobs} jobs (first to last handler finish); **end to end** = producers and
workers together, first enqueue to last handler finish, and the latency from enqueue to handler finish.
Workers fetch batches of ${result.options.batchSize} with NOTIFY wake-up.

## Machine

- CPUs: ${m.cpus} (${m.cpuModel}); Node ${m.node}; ${m.platform}
- Load average when measuring began: ${m.loadAverage.join(" / ")} (1 / 5 / 15 min; anything well above 0 means other processes shared the CPUs)
- PostgreSQL server: ${m.postgres}

## Results

| database | workers | jobs | enqueue tx/s | drain jobs/s | end-to-end jobs/s | e2e p50 ms | e2e p95 ms |
|---|---|---:|---:|---:|---:|---:|---:|
${rows.join("\n")}

Notes: PGlite is one connection in one process, so its two workers are two pg-boss instances
sharing it. On PostgreSQL the workers are separate processes (\`bench/jobsWorker.ts\`), as
\`switchboard serve --role worker\` runs them; they share the machine's CPUs with the server and the
producers. Each handler commits its own row, so the drain rate is bound by those commits rather
than by pg-boss's batched fetching. End-to-end throughput is bounded by the producers' commit rate,
one transaction per job.
`;
}

async function main(options: Options) {
  // Before any scenario, so the load average is the one measuring began with.
  const client = new pg.Client({ connectionString: maintenanceUrl(options.databaseUrl) });
  await client.connect();
  const machine = await describeMachine(client).finally(() => client.end());
  const scenarios: ScenarioResult[] = [];
  const { only } = options;
  if (only !== "postgres") {
    for (const workers of [1, 2]) {
      const dir = await mkdtemp(join(os.tmpdir(), "switchboard-bench-jobs-"));
      const database = await openDatabase({ dataDir: dir });
      await runMigrations(database);
      try {
        log(`pglite, ${workers} worker(s)…`);
        scenarios.push(await scenario("pglite", database, () => inProcessWorkers(database, workers, options.batchSize), workers, options));
      } finally {
        await database.close();
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
  if (only !== "pglite") {
    for (const workers of [1, 2]) {
      const database = await freshServerDatabase(options.databaseUrl);
      try {
        log(`postgres, ${workers} worker process(es)…`);
        scenarios.push(await scenario("postgres", database, () => processWorkers(options.databaseUrl, workers, options.batchSize), workers, options));
      } finally {
        await database.close();
      }
    }
  }
  const { databaseUrl: _url, ...shown } = options;
  const result = { benchmark: "jobs", date: new Date().toISOString(), machine, options: shown, scenarios };
  for (const s of scenarios) {
    log(`${s.database.padEnd(8)} ${s.workerKind.padEnd(46)} enqueue ${s.enqueuePerSecond}/s  drain ${s.drainJobsPerSecond}/s  e2e ${s.endToEndJobsPerSecond}/s  p50 ${s.endToEndLatencyMs.p50} ms  p95 ${s.endToEndLatencyMs.p95} ms`);
  }
  if (only) {
    log("(--only: results not written)");
    return;
  }
  await writeResultFiles("jobs", result, markdown(result));
  log("wrote bench/results/jobs.json and bench/results/jobs.md");
}

export const runJobsBench = (argv: string[]) => main(parse(argv));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runJobsBench(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
