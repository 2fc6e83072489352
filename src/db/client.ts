import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema/index.js";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; commands accept it so callers can compose them in one transaction. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the database or an open transaction. */
export type Executor = Db | Tx;

export type Database = {
  db: Db;
  driver: "pglite" | "pg";
  /** Set for the embedded driver. */
  pglite?: PGlite;
  /** Set for the server driver. */
  pool?: pg.Pool;
  close(): Promise<void>;
};

export type OpenOptions = {
  /** postgres:// URL of a server; without it the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory; undefined means in memory. */
  dataDir?: string | undefined;
  /** Pre-built PGlite data directory image, used by tests to skip migrations. */
  loadDataDir?: Blob | File | undefined;
  poolSize?: number;
};

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client's error (server restart) must not crash the process; the pool replaces it.
    pool.on("error", () => undefined);
    const db = drizzlePg({ client: pool, schema }) as unknown as Db;
    return { db, driver: "pg", pool, close: () => pool.end() };
  }
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const db = drizzlePglite({ client: pglite, schema }) as unknown as Db;
  return { db, driver: "pglite", pglite, close: () => pglite.close() };
}
