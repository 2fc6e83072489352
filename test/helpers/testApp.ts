import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LightMyRequestResponse } from "fastify";
import { buildApp, type App } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config.js";
import type { Database, Db } from "../../src/db/client.js";
import { openTestDatabase } from "./testDatabase.js";
import { ensureSlaDefaults } from "../../src/commands/sla/ensureSlaDefaults.js";

export type TestContext = {
  app: App;
  database: Database;
  db: Db;
  config: Config;
  close(): Promise<void>;
};

/** A real app on a fresh real database, driven through app.inject (no sockets, same code path). */
export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const dataDir = await mkdtemp(join(tmpdir(), "switchboard-data-"));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "silent", DEMO_DATA: "false", ...env });
  const database = await openTestDatabase();
  await ensureSlaDefaults(database.db, "UTC");
  const app = await buildApp({ database, config, logger: false });
  await app.ready();
  return {
    app,
    database,
    db: database.db,
    config,
    close: async () => {
      await app.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type Caller = { token: string } | null;

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** Sends a JSON request as a caller (null = anonymous). */
export function call(
  ctx: TestContext,
  caller: Caller,
  method: Method,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return ctx.app.inject({
    method,
    url,
    headers: { ...(caller ? { authorization: `Bearer ${caller.token}` } : {}), ...headers },
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

export const json = <T = Record<string, unknown>>(res: LightMyRequestResponse): T => res.json() as T;
