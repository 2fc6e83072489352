/**
 * A worker process for bench/jobs.ts on PostgreSQL: runs the benchmark job until SIGTERM and
 * prints "ready" once it works. Env: BENCH_JOBS_DATABASE_URL, BENCH_JOBS_BATCH_SIZE.
 */
import { openDatabase } from "../src/db/client.js";
import { createLogger } from "../src/logger.js";
import { startQueue } from "../src/jobs/queue.js";
import { startWorkers } from "../src/jobs/startWorkers.js";
import { benchJob } from "./jobsDefinition.js";

const log = createLogger("warn");
const database = await openDatabase({ url: process.env.BENCH_JOBS_DATABASE_URL!, poolSize: 20 });
const queue = await startQueue({ database, definitions: [benchJob], log, isMaintaining: true });
const workers = await startWorkers(queue, [benchJob], { log, batchSize: Number(process.env.BENCH_JOBS_BATCH_SIZE ?? 20) });
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void (async () => {
    await workers.stop();
    await queue.stop();
    await database.close();
    process.exit(0);
  })();
});
