import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../src/db/client.js";
import { defineJob } from "../src/jobs/defineJob.js";

/** The benchmark's tables: the producer's domain row, and one row per finished job. */
export async function createBenchTables(db: Db): Promise<void> {
  await db.execute(sql`create table if not exists bench_jobs_source (n int primary key, created_at timestamptz not null default now())`);
  await db.execute(sql`create table if not exists bench_jobs_done (n int primary key, latency_ms double precision not null, done_at timestamptz not null default clock_timestamp())`);
}

/**
 * A job whose handler does one small write, like a real handler recording its outcome. The
 * payload carries the enqueue time, so the row holds the end-to-end latency.
 */
export const benchJob = defineJob({
  name: "bench.record",
  payload: z.object({ n: z.number().int(), enqueuedAt: z.number() }),
  retry: { retryLimit: 2, retryDelaySeconds: 1 },
  async handler({ n, enqueuedAt }, { db }) {
    await db.execute(sql`insert into bench_jobs_done (n, latency_ms) values (${n}, ${Date.now() - enqueuedAt}) on conflict (n) do nothing`);
  },
});
