import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../src/db/client.js";
import { runMigrations } from "../src/db/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: path of a migrated data-dir image. PostgreSQL: name of a migrated template database. */
    testDatabaseTemplate: string;
    /** PostgreSQL: prefix of this run's per-file databases, so teardown drops only its own. */
    testRunId: string;
  }
}

/**
 * Migrates once per run. Each test file then starts from a copy: a PGlite image load (~0.5 s)
 * or CREATE DATABASE … TEMPLATE on a server. No test ever shares a database with another file.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const runId = randomBytes(4).toString("hex");
    const name = `sb_template_${runId}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${name}`;
    const database = await openDatabase({ url: templateUrl.toString(), poolSize: 1 });
    await runMigrations(database);
    await database.close();
    project.provide("testDatabaseTemplate", name);
    project.provide("testRunId", runId);
    return async () => {
      const leftovers = await admin.query<{ datname: string }>(
        // Only this run's databases: another run may be using the same server.
        "select datname from pg_database where datname like $1 or datname = $2",
        [`sb_test_${runId}_%`, name],
      );
      for (const row of leftovers.rows) await admin.query(`drop database if exists ${row.datname} with (force)`);
      await admin.end();
    };
  }
  const database = await openDatabase({});
  await runMigrations(database);
  const image = await database.pglite!.dumpDataDir("none");
  await database.close();
  const dir = await mkdtemp(join(tmpdir(), "switchboard-test-"));
  const path = join(dir, "migrated.tar");
  await writeFile(path, Buffer.from(await image.arrayBuffer()));
  project.provide("testDatabaseTemplate", path);
  project.provide("testRunId", "pglite");
  return () => rm(dir, { recursive: true, force: true });
}
