/**
 * npm run bench: generate tickets into PostgreSQL, then measure the ticket core through the real
 * HTTP API and the same statements through raw SQL. See docs/benchmarks.md.
 */
import pg from "pg";
import { ensureBenchDatabase, openMigratedDatabase, waitForIdle, withStatementTimeout } from "./database.js";
import { datasetSize, generateTickets } from "./generate.js";
import { createScenario, probe, readScenarios, runScenario, type HttpScenario, type LoadSettings } from "./http.js";
import { describeMachine } from "./machine.js";
import { parseOptions, type BenchOptions } from "./options.js";
import { runSlaBench } from "./sla/run.js";
import { runJobsBench } from "./jobs.js";
import { runJiraWebhooksBench } from "./jiraWebhooks.js";
import { runJiraCustomerSyncBench } from "./jiraCustomerSync.js";
import { explainQuery, rawQueries, timeRawQuery } from "./raw.js";
import { checkTargets, consoleTable, writeResults, type BenchResult, type ScenarioResult } from "./report.js";
import { createSessionToken, ensureBenchAgent, removeBenchArtifacts, RssSampler, startApp } from "./server.js";
import type { LatencySummary } from "./stats.js";
import { COMMON_WORD, RARE_WORD } from "./vocabulary.js";

const log = (line: string) => process.stdout.write(`${line}\n`);

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

function ratioOf(app: LatencySummary, raw: LatencySummary): { p50: number; p95: number } | undefined {
  if (app.p50 === null || app.p95 === null || !raw.p50 || !raw.p95) return undefined;
  return { p50: Math.round((app.p50 / raw.p50) * 10) / 10, p95: Math.round((app.p95 / raw.p95) * 10) / 10 };
}

async function countMatches(client: pg.Client, word: string): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    // A UNION of the two GIN lookups; the app's OR + IN form takes minutes to count a common word at 1M.
    `select count(*) n from (
       select id from tickets where search_vector @@ websearch_to_tsquery('english', $1)
       union select ticket_id from messages where search_vector @@ websearch_to_tsquery('english', $1)) hits`,
    [word],
  );
  return Number(rows[0]?.n ?? 0);
}

async function main(options: BenchOptions) {
  log(`bench database ${redact(options.databaseUrl)}`);
  if (await ensureBenchDatabase(options.databaseUrl, options.regenerate)) log("  created the database");
  // The app gets the same statement_timeout as the load generator's request timeout (see withStatementTimeout).
  const appDatabaseUrl = withStatementTimeout(options.databaseUrl, options.timeout);
  const database = await openMigratedDatabase(appDatabaseUrl);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  let agentId: string | undefined;
  try {
    agentId = await ensureBenchAgent(client);
    // Tickets left by an interrupted run would otherwise count towards N.
    await removeBenchArtifacts(client, agentId);

    log(`data: ${options.tickets.toLocaleString("en")} tickets`);
    const generation = await generateTickets(client, options.tickets, log);
    if (generation.skipped) log(`  skipped: the database already holds ${generation.existing.toLocaleString("en")} tickets (--regenerate to rebuild)`);
    else log(`  generated ${generation.inserted.toLocaleString("en")} tickets in ${generation.seconds.toFixed(0)} s`);
    if (generation.existing > options.tickets * 1.05) {
      log(`  WARNING: measuring ${generation.existing.toLocaleString("en")} tickets, not ${options.tickets.toLocaleString("en")}; use --regenerate or another --database-url for a clean ${options.tickets.toLocaleString("en")}`);
    }
    if (options.generateOnly) return;

    const size = await datasetSize(client);
    const machine = await describeMachine(client);
    const matchingTickets = { common: await countMatches(client, COMMON_WORD), rare: await countMatches(client, RARE_WORD) };
    log(`  ${size.tickets.toLocaleString("en")} tickets, ${size.messages.toLocaleString("en")} messages; "${COMMON_WORD}" matches ${matchingTickets.common.toLocaleString("en")}, "${RARE_WORD}" ${matchingTickets.rare}`);

    log("raw SQL");
    await client.query(`set statement_timeout = ${Math.round(options.timeout * 1000)}`);
    const raw = new Map<string, Pick<ScenarioResult, "raw" | "explain">>();
    for (const query of rawQueries(database.db)) {
      const timing = await timeRawQuery(client, query, options.rawSeconds, options.rawMaxIterations);
      const explain = await explainQuery(client, query, timing.timedOut);
      raw.set(query.id, { raw: timing, explain });
      const timed = timing.timedOut ? `an execution exceeded ${options.timeout} s (${timing.latency.samples} finished before)` : `p50 ${timing.latency.p50} ms, p95 ${timing.latency.p95} ms over ${timing.latency.samples} runs`;
      log(`  ${query.id}: ${timed}; ${explain.line}`);
    }
    await client.query("reset statement_timeout");

    const token = await createSessionToken(client, agentId);
    const app = await startApp(database, appDatabaseUrl);
    const idleRssBytes = process.memoryUsage.rss();
    const settings: LoadSettings = {
      connections: options.connections,
      durationSeconds: options.duration,
      warmupSeconds: options.warmup,
      // A little above statement_timeout, so a query the server gives up on comes back as a 5xx, not a client timeout.
      timeoutSeconds: options.timeout + 5,
    };
    const scenarios: ScenarioResult[] = [];
    let peakRssBytes = 0;
    try {
      // Creation runs last so the read scenarios see exactly the generated data.
      const all: HttpScenario[] = [...readScenarios, createScenario];
      for (const scenario of all) {
        log(`HTTP ${scenario.id}: ${options.warmup} s warm-up + ${options.duration} s`);
        const probed = await probe(app.baseUrl, token, scenario);
        const rss = new RssSampler();
        rss.start();
        const http = await runScenario(app.baseUrl, token, scenario, settings);
        const peak = rss.stop();
        peakRssBytes = Math.max(peakRssBytes, peak);
        const r = raw.get(scenario.id);
        // Requests abandoned by the client may still be running in PostgreSQL; the next scenario must not pay for them.
        await waitForIdle(client, options.timeout + 10);
        const ratio = r?.raw && !r.raw.timedOut ? ratioOf(http.latency, r.raw.latency) : undefined;
        scenarios.push({ id: scenario.id, title: scenario.title, request: `${scenario.method} ${scenario.path}`, probe: probed, http, peakRssBytes: peak, ...r, ...(ratio ? { ratio } : {}) });
        const failures = http.non2xx + http.errors + http.timeouts;
        log(`  ${http.responses} responses, ${http.rps} req/s, p50 ${http.latency.p50} ms, p95 ${http.latency.p95} ms, p99 ${http.latency.p99} ms${failures ? `, ${failures} failed (${JSON.stringify(http.statusCodes)})` : ""}`);
      }
    } finally {
      await app.close();
    }

    log("cleaning up tickets filed by the creation scenario");
    const createdAndRemoved = await removeBenchArtifacts(client, agentId);
    agentId = undefined;

    const result: BenchResult = {
      benchmark: "ticket-core",
      date: new Date().toISOString(),
      machine,
      settings: {
        database: redact(options.databaseUrl),
        connections: options.connections,
        durationSeconds: options.duration,
        warmupSeconds: options.warmup,
        timeoutSeconds: options.timeout,
        rawSecondsPerQuery: options.rawSeconds,
        rawMaxIterations: options.rawMaxIterations,
      },
      dataset: { ...size, requestedTickets: options.tickets, generation, words: { common: COMMON_WORD, rare: RARE_WORD }, matchingTickets, createdAndRemoved },
      scenarios,
      idleRssBytes,
      peakRssBytes,
      targets: checkTargets(scenarios, peakRssBytes),
    };
    log("");
    log(consoleTable(result));
    const files = await writeResults(result);
    log(`\nwrote ${files.json}\nwrote ${files.md}`);
  } finally {
    if (agentId) await removeBenchArtifacts(client, agentId).catch(() => undefined);
    await client.end();
    await database.close();
  }
}

/** `npm run bench` runs the ticket-core suite; `-- --suite sla` the SLA sweep suite, `-- --suite jobs` the queue. */
async function dispatch(argv: string[]) {
  const at = argv.indexOf("--suite");
  const suite = at >= 0 ? argv[at + 1] : "tickets";
  const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv;
  if (suite === "sla") return void (await runSlaBench(rest));
  if (suite === "jobs") return void (await runJobsBench(rest));
  if (suite === "jira-webhooks") return void (await runJiraWebhooksBench(rest));
  if (suite === "jira-customers") return void (await runJiraCustomerSyncBench(rest));
  if (suite !== "tickets") throw new Error(`unknown --suite ${suite}: tickets, sla, jobs, jira-webhooks or jira-customers`);
  await main(parseOptions(rest));
}

dispatch(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
