#!/usr/bin/env node
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, type Config } from "../config.js";
import { createLogger } from "../logger.js";
import { openConfiguredDatabase } from "../db/open.js";
import { buildApp } from "../app.js";
import { demoCredentials, ensureAdmin, seedDemoData } from "../db/seed.js";
import { createUser } from "../commands/users/createUser.js";
import { ensureSlaDefaults } from "../commands/sla/ensureSlaDefaults.js";
import { runSlaSweep } from "../commands/sla/runSlaSweep.js";
import { startSlaScheduler } from "../jobs/slaScheduler.js";

const usage = `switchboard <command>

  serve [--role all|web|worker]   run the server (default role: all)
  migrate                         apply database migrations and exit
  seed                            load demo data into an empty database
  sla check                       run the SLA sweep once and print what it escalated
  user create --email E --name N --role admin|agent|customer [--password P]
`;

async function serve(config: Config, role: string) {
  const log = createLogger(config.LOG_LEVEL);
  const database = await openConfiguredDatabase(config);
  await ensureAdmin(database.db, config.ADMIN_EMAIL, config.ADMIN_PASSWORD, log);
  await ensureSlaDefaults(database.db, config.DEFAULT_TIMEZONE);
  const seeded = config.DEMO_DATA ? await seedDemoData(database.db, log) : false;
  const app = await buildApp({ database, config });
  const scheduler = role === "web" ? undefined : startSlaScheduler({ db: database.db, log, intervalSeconds: config.SLA_SWEEP_INTERVAL_SECONDS });
  const url = await app.listen({ port: config.PORT, host: config.HOST });
  const shown = url.replace("0.0.0.0", "localhost").replace("[::]", "localhost");
  log.info({ url: shown, database: database.driver }, "Switchboard is running");
  // Plain lines on purpose: this is what a person reads after `npm start`.
  process.stdout.write(`\nSwitchboard is running at ${shown}  (API docs: ${shown}/api/docs)\n`);
  if (config.DEMO_DATA) {
    process.stdout.write(`Demo admin: ${demoCredentials.admin.email} / ${demoCredentials.admin.password}${seeded ? "" : " (demo data already loaded)"}\n`);
    process.stdout.write(`Demo agent: ${demoCredentials.agent.email}, demo customer: ${demoCredentials.customer.email} (same password)\n\n`);
  }
  if (database.driver === "pglite") {
    log.warn("embedded database: fine for evaluation and a single node; set DATABASE_URL to a PostgreSQL server for production");
  }
  const stop = async (signal: string) => {
    log.info({ signal }, "shutting down");
    await scheduler?.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case "serve": {
      const { values } = parseArgs({ args: rest, options: { role: { type: "string", default: "all" } } });
      if (!["all", "web", "worker"].includes(values.role!)) throw new Error(`unknown role ${values.role}`);
      await serve(config, values.role!);
      return;
    }
    case "migrate": {
      const database = await openConfiguredDatabase(config);
      await database.close();
      process.stdout.write("migrations applied\n");
      return;
    }
    case "seed": {
      const database = await openConfiguredDatabase(config);
      const seeded = await seedDemoData(database.db, createLogger(config.LOG_LEVEL));
      await database.close();
      process.stdout.write(seeded ? "demo data loaded\n" : "database not empty; nothing loaded\n");
      return;
    }
    case "sla": {
      if (rest[0] !== "check") throw new Error(usage);
      const database = await openConfiguredDatabase(config);
      const actions = await runSlaSweep(database.db);
      await database.close();
      for (const a of actions) process.stdout.write(`${a.number} ${a.metric} ${a.kind}${a.threshold ? ` ${a.threshold}%` : ""}\n`);
      process.stdout.write(`${actions.length} SLA action(s)\n`);
      return;
    }
    case "user": {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" }, password: { type: "string" } },
      });
      if (positionals[0] !== "create" || !values.email || !values.name || !values.role) throw new Error(usage);
      const role = values.role;
      if (role !== "admin" && role !== "agent" && role !== "customer") throw new Error("role must be admin, agent or customer");
      const database = await openConfiguredDatabase(config);
      const { user, inviteToken } = await createUser({ db: database.db, actor: null, email: values.email, name: values.name, role, password: values.password });
      await database.close();
      process.stdout.write(`created ${user.role} ${user.email}${inviteToken ? `; invitation token: ${inviteToken}` : ""}\n`);
      return;
    }
    default:
      process.stdout.write(usage);
      if (command && command !== "help") process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
