#!/usr/bin/env node
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, type Config } from "../config.js";
import { createLogger } from "../logger.js";
import { openConfiguredDatabase } from "../db/open.js";
import { buildApp, type App } from "../app.js";
import { demoCredentials, ensureAdmin, seedDemoData } from "../db/seed.js";
import { createUser } from "../commands/users/createUser.js";
import { ensureSlaDefaults } from "../commands/sla/ensureSlaDefaults.js";
import { runSlaSweep } from "../commands/sla/runSlaSweep.js";
import { startSlaScheduler } from "../jobs/slaScheduler.js";
import { startQueue } from "../jobs/queue.js";
import { startWorkers } from "../jobs/startWorkers.js";
import { jobRegistry } from "../jobs/jobRegistry.js";
import { configureMail } from "../connectors/email/outbound/mailSettings.js";
import { configureWebhooks } from "../connectors/webhooks/webhookSettings.js";
import { configureJira, jiraSettingsFrom } from "../connectors/jira/jiraSettings.js";
import { ensureJiraConnectionFromEnv } from "../commands/jira/ensureJiraConnectionFromEnv.js";
import { syncJira, syncJiraUsage } from "./syncJira.js";

const usage = `switchboard <command>

  serve [--role all|web|worker]   run the server (default role: all)
  migrate                         apply database migrations and exit
  seed                            load demo data into an empty database
  sla check                       run the SLA sweep once and print what it escalated
  user create --email E --name N --role admin|agent|customer [--password P]
${syncJiraUsage}`;

async function serve(config: Config, role: string) {
  const log = createLogger(config.LOG_LEVEL);
  const database = await openConfiguredDatabase(config);
  await ensureAdmin(database.db, config.ADMIN_EMAIL, config.ADMIN_PASSWORD, log);
  await ensureSlaDefaults(database.db, config.DEFAULT_TIMEZONE);
  const seeded = config.DEMO_DATA ? await seedDemoData(database.db, log) : false;
  const isWorker = role !== "web";
  configureMail(config);
  configureWebhooks(config);
  configureJira(config);
  // JIRA_* variables create the connection once; afterwards the admin API owns it.
  await ensureJiraConnectionFromEnv(database.db, jiraSettingsFrom(config).secretKey, log);
  // Every role sends jobs (commands enqueue them); only worker roles run handlers and maintenance.
  const queue = await startQueue({ database, definitions: jobRegistry, log, isMaintaining: isWorker });
  const workers = isWorker ? await startWorkers(queue, jobRegistry, { log }) : undefined;
  const scheduler = isWorker ? startSlaScheduler({ db: database.db, log, intervalSeconds: config.SLA_SWEEP_INTERVAL_SECONDS }) : undefined;
  let app: App | undefined;
  const stop = async (signal: string) => {
    log.info({ signal }, "shutting down");
    await scheduler?.stop();
    await app?.close();
    // After HTTP, so a request's enqueue still finds the queue; before the database it needs.
    await workers?.stop();
    await queue.stop();
    await database.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  if (database.driver === "pglite" && role !== "all") {
    log.warn(`--role ${role} on the embedded database: no other process can open it, so its jobs ${role === "web" ? "never run" : "can only come from this process"}; use DATABASE_URL to split roles`);
  }
  if (role === "worker") {
    log.info({ database: database.driver, jobs: jobRegistry.map((j) => j.name) }, "Switchboard worker is running (no HTTP)");
    return;
  }
  app = await buildApp({ database, config });
  const url = await app.listen({ port: config.PORT, host: config.HOST });
  const shown = url.replace("0.0.0.0", "localhost").replace("[::]", "localhost");
  log.info({ url: shown, database: database.driver, role }, "Switchboard is running");
  // Plain lines on purpose: this is what a person reads after `npm start`.
  process.stdout.write(`\nSwitchboard is running at ${shown}  (API docs: ${shown}/api/docs)\n`);
  if (config.DEMO_DATA) {
    process.stdout.write(`Demo admin: ${demoCredentials.admin.email} / ${demoCredentials.admin.password}${seeded ? "" : " (demo data already loaded)"}\n`);
    process.stdout.write(`Demo agent: ${demoCredentials.agent.email}, demo customer: ${demoCredentials.customer.email} (same password)\n\n`);
  }
  if (database.driver === "pglite") {
    log.warn("embedded database: fine for evaluation and a single node; set DATABASE_URL to a PostgreSQL server for production");
  }
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
    case "sync":
      await syncJira(config, rest);
      return;
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
