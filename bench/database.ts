import pg from "pg";
import { openDatabase, type Database } from "../src/db/client.js";
import { runMigrations } from "../src/db/migrate.js";

/** CREATE/DROP DATABASE cannot run inside the target itself, so these go through a maintenance database. */
const maintenanceDatabases = ["switchboard", "postgres"];

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ""));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`unsupported bench database name "${name}"`);
  return name;
}

async function withMaintenanceClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (const name of maintenanceDatabases) {
    const target = new URL(url);
    target.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: target.toString() });
    try {
      await client.connect();
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      continue;
    }
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }
  throw lastError instanceof Error ? lastError : new Error("no maintenance database reachable");
}

/** Makes sure the bench database exists (dropping it first on --regenerate); returns whether it was created. */
export async function ensureBenchDatabase(url: string, regenerate: boolean): Promise<boolean> {
  const name = databaseName(url);
  return withMaintenanceClient(url, async (client) => {
    if (regenerate) await client.query(`drop database if exists "${name}" with (force)`);
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (rowCount) return false;
    await client.query(`create database "${name}"`);
    return true;
  });
}

/** The app's own driver and migrations, so the schema is exactly what production runs. */
export async function openMigratedDatabase(url: string): Promise<Database> {
  const database = await openDatabase({ url });
  await runMigrations(database);
  return database;
}

/**
 * The same URL with a server-side statement_timeout. A pathological query (minutes at 1M tickets)
 * would otherwise keep running after its HTTP request timed out and skew every later scenario.
 */
export function withStatementTimeout(url: string, seconds: number): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c statement_timeout=${Math.round(seconds * 1000)}`);
  return u.toString();
}

/** Waits until no other session runs a statement in the bench database, so scenarios do not overlap. */
export async function waitForIdle(client: pg.Client, maxSeconds: number): Promise<void> {
  const deadline = Date.now() + maxSeconds * 1000;
  while (Date.now() < deadline) {
    const { rows } = await client.query<{ n: string }>(
      "select count(*) n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state = 'active'",
    );
    if (Number(rows[0]?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
