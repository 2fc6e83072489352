import { fileURLToPath } from "node:url";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type { Database } from "./client.js";

// src/db/migrate.ts and dist/db/migrate.js are both two levels below the package root.
export const migrationsFolder = fileURLToPath(new URL("../../src/db/migrations", import.meta.url));

/** Any number written here marks "Switchboard migrations" for pg_advisory_lock. */
const MIGRATION_LOCK = 727_001;

/** Applies the committed drizzle-kit migrations. Safe when several processes start at once. */
export async function runMigrations(database: Database): Promise<void> {
  if (database.pglite) {
    await migratePglite(drizzlePglite({ client: database.pglite }), { migrationsFolder });
    return;
  }
  const pool = database.pool;
  if (!pool) throw new Error("database has neither driver");
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migratePg(drizzlePg({ client }), { migrationsFolder });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
