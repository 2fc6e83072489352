import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config.js";
import { openDatabase, type Database } from "./client.js";
import { runMigrations } from "./migrate.js";

/** Opens the configured database (server or embedded under DATA_DIR) and brings its schema up to date. */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  if (!config.DATABASE_URL) await mkdir(config.DATA_DIR, { recursive: true });
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATABASE_URL ? undefined : join(config.DATA_DIR, "pglite"),
  });
  await runMigrations(database);
  return database;
}
