import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { inject } from "vitest";
import { openDatabase, type Database } from "../../src/db/client.js";

/** A fresh, migrated database for one test file: PGlite in memory, or a server database made from the template. */
export async function openTestDatabase(): Promise<Database> {
  const template = inject("testDatabaseTemplate");
  const url = process.env.DATABASE_URL;
  if (!url) {
    const image = new Blob([await readFile(template)]);
    return openDatabase({ loadDataDir: image });
  }
  const name = `sb_test_${inject("testRunId")}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const database = await openDatabase({ url: dbUrl.toString(), poolSize: 20 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`).finally(() => dropper.end());
    },
  };
}
