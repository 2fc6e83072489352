/**
 * The CSM requirements' NFR-1: "issue sync < 5 seconds per customer". One organization with 200
 * linked Jira issues (and 100 that belong to others) is synced against the fake Jira on loopback:
 * the first sync (every issue new), a re-sync with nothing changed, and a re-sync after 40 issues
 * moved status and changed priority. Runs on the embedded database (PGlite) and, when reachable,
 * on PostgreSQL. Writes bench/results/jira-customer-sync.{json,md}.
 *
 *   npm run bench -- --suite jira-customers [--issues N] [--runs R] [--database-url URL] [--only pglite|postgres]
 *
 * The fake validates every request against the Jira OpenAPI document, so its own time is in the
 * figures; a real site adds its network round trip per search page (100 issues a page).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { writeResultFiles } from "./resultFiles.js";
import os from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import pg from "pg";
import { saveJiraConnection } from "../src/commands/jira/saveJiraConnection.js";
import { syncOrganizationIssues, type OrganizationSyncResult } from "../src/commands/jira/syncOrganizationIssues.js";
import { createOrganization } from "../src/commands/organizations/createOrganization.js";
import { openJiraRuntime } from "../src/connectors/jira/runtime.js";
import { openDatabase, type Database } from "../src/db/client.js";
import { runMigrations } from "../src/db/migrate.js";
import { connections } from "../src/db/schema/index.js";
import { startFakeJira } from "../test/jira/fake/fakeJira.js";
import { describeMachine, type Machine } from "./machine.js";

const log = (line: string) => process.stdout.write(`${line}\n`);
type Options = { issues: number; runs: number; databaseUrl: string; only?: "pglite" | "postgres" };
type Run = { kind: "first" | "unchanged" | "changed"; ms: number; issues: number; added: number };
type DatabaseResult = { database: "pglite" | "postgres"; runs: Run[]; worstMs: number };

function parse(argv: string[]): Options {
  const { values } = parseArgs({ args: argv, options: { issues: { type: "string" }, runs: { type: "string" }, "database-url": { type: "string" }, only: { type: "string" } } });
  const only = values.only;
  if (only !== undefined && only !== "pglite" && only !== "postgres") throw new Error("--only must be pglite or postgres");
  return {
    issues: Number(values.issues ?? 200),
    runs: Number(values.runs ?? 3),
    databaseUrl: values["database-url"] ?? process.env.BENCH_JIRA_DATABASE_URL ?? "postgres://switchboard:switchboard@127.0.0.1:5432/switchboard_bench_jira",
    ...(only ? { only } : {}),
  };
}

async function freshPostgres(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch {
    return false;
  }
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}

async function measure(database: Database, options: Options): Promise<Run[]> {
  await runMigrations(database);
  const fake = await startFakeJira({ deployment: "cloud" });
  try {
    const secretKey = randomBytes(32);
    const c = fake.credentials;
    await saveJiraConnection({
      db: database.db,
      settings: { secretKey, publicUrl: "http://localhost", dataDir: os.tmpdir() },
      body: { deployment: "cloud", baseUrl: fake.url, auth: { kind: "api_token", email: c.email, apiToken: c.apiToken }, projectKey: "SUP", issueType: "Task", allowPrivateNetwork: true, timeoutMs: 10_000 },
    });
    const [row] = await database.db.select().from(connections).where(eq(connections.system, "jira"));
    const rt = openJiraRuntime(database.db, row!, { secretKey });
    const org = await createOrganization({ db: database.db, name: "Bench Customer" });
    const mine = [];
    for (let i = 0; i < options.issues; i++) {
      mine.push(fake.state.plainIssue(`Customer issue ${i}`, { labels: [`customer_${org.slug}`, "bench"] }));
    }
    for (let i = 0; i < options.issues / 2; i++) {
      fake.state.plainIssue(`Someone else's ${i}`, { labels: ["customer_other"] });
    }
    const runs: Run[] = [];
    const record = (kind: Run["kind"], r: OrganizationSyncResult) => {
      runs.push({ kind, ms: r.ms, issues: r.issues, added: r.added });
      log(`  ${kind}: ${r.ms} ms for ${r.issues} issues (${r.added} new)`);
    };
    record("first", await syncOrganizationIssues(database.db, rt, org.id));
    for (let run = 0; run < options.runs; run++) {
      record("unchanged", await syncOrganizationIssues(database.db, rt, org.id));
      for (const issue of mine.slice(run * 40, run * 40 + 40)) {
        issue.statusId = issue.statusId === "3" ? "10001" : "3";
        issue.priorityId = issue.priorityId === "2" ? "3" : "2";
        fake.state.touch(issue);
      }
      record("changed", await syncOrganizationIssues(database.db, rt, org.id));
    }
    return runs;
  } finally {
    await fake.close();
  }
}

export async function runJiraCustomerSyncBench(argv: string[]): Promise<void> {
  const options = parse(argv);
  const results: DatabaseResult[] = [];
  let machine: Machine | null = null;
  if (options.only !== "postgres") {
    log(`PGlite: one organization, ${options.issues} linked issues`);
    const dir = await mkdtemp(join(os.tmpdir(), "sb-bench-jira-"));
    const database = await openDatabase({ dataDir: dir });
    try {
      const runs = await measure(database, options);
      results.push({ database: "pglite", runs, worstMs: Math.max(...runs.map((r) => r.ms)) });
    } finally {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (options.only !== "pglite") {
    if (await freshPostgres(options.databaseUrl)) {
      log(`PostgreSQL: one organization, ${options.issues} linked issues`);
      const database = await openDatabase({ url: options.databaseUrl });
      const client = new pg.Client({ connectionString: options.databaseUrl });
      await client.connect();
      try {
        machine = await describeMachine(client);
        const runs = await measure(database, options);
        results.push({ database: "postgres", runs, worstMs: Math.max(...runs.map((r) => r.ms)) });
      } finally {
        await client.end();
        await database.close();
      }
    } else log(`PostgreSQL at ${new URL(options.databaseUrl).host} is not reachable; measured PGlite only`);
  }
  const target = 5000;
  const lines = [
    "# Jira customer sync (the CSM requirements' NFR-1: < 5 s per customer)",
    "",
    `One organization with ${options.issues} linked issues (plus ${options.issues / 2} of other customers in the same project), synced against the fake Jira on loopback: search by the customer label (100 issues a page), store each issue with its status history, link, unlink what no longer matches. "changed" runs follow 40 issues changing status and priority (so CSM notices are written too).`,
    "",
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}${machine ? `, ${machine.postgres}, load average ${machine.loadAverage.map((l) => l.toFixed(1)).join(" / ")}` : ""}. Generated ${new Date().toISOString()} by \`npm run bench -- --suite jira-customers\`.`,
    "",
    "| database | run | ms | issues | new |",
    "|---|---|---:|---:|---:|",
    ...results.flatMap((r) => r.runs.map((run) => `| ${r.database} | ${run.kind} | ${run.ms} | ${run.issues} | ${run.added} |`)),
    "",
    ...results.map((r) => `- **${r.database}**: worst ${r.worstMs} ms against a target of ${target} ms → ${r.worstMs < target ? "met" : "NOT met"}.`),
    "",
    "The fake Jira checks each request against the OpenAPI document, so its CPU time is included; a real site adds one network round trip per page (2 pages here), which the figures do not include.",
    "",
  ];
  await writeResultFiles("jira-customer-sync", { options, results, target }, lines.join("\n"));
  log(lines.join("\n"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runJiraCustomerSyncBench(process.argv.slice(2));
