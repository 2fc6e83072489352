import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { generateToken, hashToken } from "../src/auth/tokens.js";
import type { Database } from "../src/db/client.js";

export type RunningApp = { baseUrl: string; close(): Promise<void> };

/** The real app, listening on an ephemeral port, with the same config a server start would parse. */
export async function startApp(database: Database, databaseUrl: string): Promise<RunningApp> {
  const dataDir = await mkdtemp(join(tmpdir(), "switchboard-bench-"));
  const config = loadConfig({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: "silent", DEMO_DATA: "false" });
  const app = await buildApp({ database, config });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    baseUrl: address,
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const BENCH_AGENT_EMAIL = "bench-runner@bench.example";

/** The agent the HTTP scenarios act as; created once, reused by later runs. */
export async function ensureBenchAgent(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `insert into users (email, name, role) values ($1, 'Bench Runner', 'agent')
     on conflict (lower(email)) do update set is_active = true returning id`,
    [BENCH_AGENT_EMAIL],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error("could not create the bench agent");
  return id;
}

/** A session token written directly, as test/helpers/factories.ts does, so no password hashing is involved. */
export async function createSessionToken(client: pg.Client, userId: string): Promise<string> {
  const token = generateToken("session");
  await client.query(
    `insert into auth_tokens (user_id, kind, name, token_hash, expires_at) values ($1, 'session', 'bench', $2, now() + interval '2 hours')`,
    [userId, hashToken(token)],
  );
  return token;
}

const CLEANUP_INDEX = "bench_cleanup_merged_into_idx";

/**
 * Leaves the data set as generated, so repeated runs measure the same thing: tickets the creation
 * scenario filed (the agent is their requester) and the agent's tokens go. The SUP- sequence keeps
 * its value; the gap is harmless here and keeps later numbers unique.
 *
 * tickets.merged_into_id has no index, so every deleted ticket makes its ON DELETE SET NULL trigger
 * scan the whole table (about 27 ms per ticket at 50k tickets). A throw-away index, dropped at once,
 * keeps the clean-up in seconds without leaving the schema different from the app's.
 */
export async function removeBenchArtifacts(client: pg.Client, agentId: string): Promise<number> {
  await client.query("delete from auth_tokens where user_id = $1", [agentId]);
  const { rows } = await client.query<{ any: boolean }>("select exists (select 1 from tickets where requester_id = $1) as any", [agentId]);
  if (!rows[0]?.any) return 0;
  await client.query(`create index if not exists ${CLEANUP_INDEX} on tickets (merged_into_id)`);
  try {
    const { rowCount } = await client.query("delete from tickets where requester_id = $1", [agentId]);
    return rowCount ?? 0;
  } finally {
    await client.query(`drop index if exists ${CLEANUP_INDEX}`);
    // The deleted rows sit at the newest end of tickets_created_at_idx, the index search walks
    // first; left to autovacuum they would slow the next run's searches until it came by.
    await client.query("vacuum (analyze) tickets, ticket_events");
  }
}

/** Peak resident set size of this process (the server) while a scenario runs. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private peakBytes = 0;

  start(intervalMs = 50): void {
    this.peakBytes = process.memoryUsage.rss();
    this.timer = setInterval(() => {
      this.peakBytes = Math.max(this.peakBytes, process.memoryUsage.rss());
    }, intervalMs);
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return Math.max(this.peakBytes, process.memoryUsage.rss());
  }
}
