/**
 * Jira webhooks, against a real `switchboard serve` process (role all: HTTP and workers) with a Jira
 * connection from JIRA_* variables pointing at the fake Jira of the test suite, in this process:
 * (a) acknowledgement latency of signed deliveries, built from the captured sample, at a fixed rate;
 * (b) end-to-end lag from a `comment_created` POST to its internal note reaching a WebSocket client
 *     of the desk (the note is committed and published), through the queue, the issue and comment
 *     re-fetch from Jira, and the note's insert.
 * On the embedded database and on PostgreSQL. Writes bench/results/jira-webhooks.{json,md}.
 *
 *   npm run bench -- --suite jira-webhooks [--only pglite|postgres] [--rate 500] [--duration 20] [--events 300] [--database-url URL]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { writeResultFiles } from "./resultFiles.js";
import { createServer } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import WebSocket from "ws";
import { startFakeJira, type FakeJira } from "../test/jira/fake/fakeJira.js";
import { readSample } from "../test/jira/fake/webhooks.js";
import { describeMachine, type Machine } from "./machine.js";
import { summarize, type LatencySummary } from "./stats.js";
import { forkLoad } from "./forkLoad.js";
import type { LoadResult } from "./loadgen.js";

const log = (line: string) => process.stdout.write(`${line}\n`);
const SECRET = "bench-jira-webhook-secret-0123456789";
const ADMIN = { email: "bench-admin@bench.example", password: "bench-admin-password-123" };
const SAMPLE = "jira-webhook-issue-updated-resolved" as const;

type Options = { only?: "pglite" | "postgres"; rate: number; duration: number; warmup: number; connections: number; events: number; tickets: number; databaseUrl: string };

type ScenarioResult = {
  database: "pglite" | "postgres";
  ack: LoadResult & { rate: number; connections: number };
  /** After (a): deliveries stored but not yet processed when the load stopped, and how long until none were. */
  backlog: { atEnd: number; drainedAfterSeconds: number | null };
  endToEnd: { events: number; tickets: number; lagMs: LatencySummary; failures: number };
};

function parse(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      events: { type: "string" },
      tickets: { type: "string" },
      "database-url": { type: "string" },
    },
  });
  const only = values.only;
  if (only !== undefined && only !== "pglite" && only !== "postgres") throw new Error("--only must be pglite or postgres");
  return {
    ...(only ? { only } : {}),
    rate: Number(values.rate ?? 500),
    duration: Number(values.duration ?? 20),
    warmup: Number(values.warmup ?? 2),
    connections: Number(values.connections ?? 20),
    events: Number(values.events ?? 300),
    tickets: Number(values.tickets ?? 30),
    databaseUrl: values["database-url"] ?? process.env.BENCH_JIRA_DATABASE_URL ?? "postgres://switchboard:switchboard@127.0.0.1:5432/switchboard_bench_jira",
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function freshServerDatabase(url: string): Promise<void> {
  const maintenance = new URL(url);
  const name = maintenance.pathname.slice(1);
  maintenance.pathname = "/postgres";
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
}

/** `switchboard serve` as production runs it, through tsx; resolves once it listens. */
async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; baseUrl: string }> {
  const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
  const inherited = { ...process.env };
  // The embedded database unless this scenario names a server.
  delete inherited.DATABASE_URL;
  const child = spawn(process.execPath, ["--import", "tsx", main, "serve"], { env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let seen = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /Switchboard is running at (\S+)/.exec(seen);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
  return { child, baseUrl };
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

async function api<T>(baseUrl: string, token: string | null, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Polls the connection's webhook backlog until it is empty (or two minutes pass). */
async function drainBacklog(baseUrl: string, token: string): Promise<{ atEnd: number; drainedAfterSeconds: number | null }> {
  const started = performance.now();
  const waiting = async () => (await api<{ webhookBacklog?: { waiting: number } }>(baseUrl, token, "GET", "/api/v1/connections/jira")).webhookBacklog?.waiting ?? 0;
  const atEnd = await waiting();
  for (let n = atEnd; performance.now() - started < 120_000; n = await waiting()) {
    if (n === 0) return { atEnd, drainedAfterSeconds: Math.round((performance.now() - started) / 100) / 10 };
    await new Promise((r) => setTimeout(r, 100));
  }
  return { atEnd, drainedAfterSeconds: null };
}

/** Waits for each ticket's next `message.created` frame: the note of the comment just delivered. */
function frameWaiter(ws: WebSocket) {
  const waiting = new Map<string, () => void>();
  ws.on("message", (data: WebSocket.RawData) => {
    const frame = JSON.parse(data.toString()) as { type: string; ticketId?: string };
    if (frame.type === "message.created" && frame.ticketId) {
      waiting.get(frame.ticketId)?.();
      waiting.delete(frame.ticketId);
    }
  });
  return (ticketId: string, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        waiting.delete(ticketId);
        resolve(false);
      }, timeoutMs);
      waiting.set(ticketId, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
}

async function endToEnd(fake: FakeJira, baseUrl: string, token: string, linked: { ticketId: string; key: string }[], events: number): Promise<ScenarioResult["endToEnd"]> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/v1/stream?token=${encodeURIComponent(token)}`);
  await new Promise<void>((resolve, reject) => {
    ws.once("message", () => resolve());
    ws.once("error", reject);
  });
  const waitFor = frameWaiter(ws);
  const lags: number[] = [];
  let failures = 0;
  const perTicket = Math.ceil(events / linked.length);
  const developer = fake.state.users[1]!;
  try {
    await Promise.all(
      linked.map(async ({ ticketId, key }, i) => {
        for (let n = 0; n < perTicket && i * perTicket + n < events; n++) {
          // Spread the tickets out, so this measures lag under a steady trickle rather than one burst.
          await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
          const issue = fake.state.findIssue(key)!;
          const comment = fake.state.newComment(issue, { version: 1, type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: `Developer update ${n} on ${key}` }] }] }, false, new Map());
          comment.author = developer;
          const d = fake.commentDelivery("comment_created", key, comment.id, { secret: SECRET });
          const arrived = waitFor(ticketId, 30_000);
          const started = performance.now();
          const res = await fetch(`${baseUrl}/webhooks/jira`, { method: "POST", headers: d.headers, body: d.body });
          if (res.status !== 202) failures++;
          if (await arrived) lags.push(performance.now() - started);
          else failures++;
        }
      }),
    );
  } finally {
    ws.close();
  }
  return { events, tickets: linked.length, lagMs: summarize(lags), failures };
}

async function scenario(kind: "pglite" | "postgres", options: Options): Promise<ScenarioResult> {
  const fake = await startFakeJira({ deployment: "cloud" });
  const dataDir = await mkdtemp(join(os.tmpdir(), "switchboard-bench-jira-"));
  if (kind === "postgres") await freshServerDatabase(options.databaseUrl);
  const port = await freePort();
  // The captured sample names issue 10040, the fake's first id: make it an issue nobody links, so
  // the load's events are acknowledged, stored, processed and found unlinked (the common case).
  fake.state.plainIssue("Decoy for the captured sample", { issueTypeId: "10001" });
  const issues = Array.from({ length: options.tickets }, (_, i) =>
    fake.state.plainIssue(`Bench issue ${i}`, { issueTypeId: "10001" }),
  );
  const server = await startServer({
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    DEMO_DATA: "false",
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    JIRA_BASE_URL: fake.url,
    JIRA_EMAIL: fake.credentials.email,
    JIRA_API_TOKEN: fake.credentials.apiToken,
    JIRA_PROJECT_KEY: "SUP",
    JIRA_WEBHOOK_SECRET: SECRET,
    JIRA_ALLOW_PRIVATE_NETWORK: "true",
    ...(kind === "postgres" ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  try {
    const { token } = await api<{ token: string }>(server.baseUrl, null, "POST", "/api/v1/auth/login", ADMIN);
    const linked: { ticketId: string; key: string }[] = [];
    for (const [i, issue] of issues.entries()) {
      const ticket = await api<{ id: string }>(server.baseUrl, token, "POST", "/api/v1/tickets", { subject: `Bench ticket ${i}`, description: "Linked to a Jira issue for the webhook benchmark.", email: `customer-${i}@bench.example` });
      await api(server.baseUrl, token, "POST", `/api/v1/tickets/${ticket.id}/jira/link`, { key: issue.key });
      linked.push({ ticketId: ticket.id, key: issue.key });
    }
    log(`  (b) end-to-end lag: ${options.events} comment_created deliveries over ${linked.length} linked tickets`);
    const e2e = await endToEnd(fake, server.baseUrl, token, linked, options.events);
    log(`      p50 ${e2e.lagMs.p50} ms, p95 ${e2e.lagMs.p95} ms, p99 ${e2e.lagMs.p99} ms, ${e2e.failures} failed`);
    const body = readSample(SAMPLE);
    const signature = `sha256=${createHmac("sha256", SECRET).update(body, "utf8").digest("hex")}`;
    log(`  (a) acknowledgement latency: ${options.rate} req/s for ${options.duration} s (+${options.warmup} s warm-up), ${options.connections} connections`);
    const ack = await forkLoad({
      url: `${server.baseUrl}/webhooks/jira`,
      method: "POST",
      // The same signed bytes every time, as one real sample; a fresh delivery id per request, so each is stored.
      headers: { "content-type": "application/json; charset=utf-8", "user-agent": "Atlassian Webhook HTTP Client", "x-atlassian-webhook-flow": "Primary", "x-hub-signature": signature },
      uniqueIdHeader: "x-atlassian-webhook-identifier",
      body,
      overallRate: options.rate,
      connections: options.connections,
      durationSeconds: options.duration,
      warmupSeconds: options.warmup,
      timeoutSeconds: 10,
    });
    log(`      ${ack.responses} responses, ${ack.rps} req/s, p50 ${ack.latency.p50} ms, p99 ${ack.latency.p99} ms, errors ${ack.errors + ack.timeouts}, non-2xx ${ack.non2xx}`);
    const backlog = await drainBacklog(server.baseUrl, token);
    log(`      backlog when the load stopped: ${backlog.atEnd}; processed ${backlog.drainedAfterSeconds === null ? "not within 120 s" : `${backlog.drainedAfterSeconds} s later`}`);
    return { database: kind, ack: { ...ack, rate: options.rate, connections: options.connections }, backlog, endToEnd: e2e };
  } finally {
    await stopServer(server.child);
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function markdown(result: { date: string; machine: Machine; options: Omit<Options, "databaseUrl">; scenarios: ScenarioResult[] }): string {
  const m = result.machine;
  const ack = result.scenarios.map(
    (s) =>
      `| ${s.database} | ${s.ack.rate} | ${s.ack.rps} | ${s.ack.responses} | ${s.ack.latency.p50} | ${s.ack.latency.p99} | ${s.ack.latency.max} | ${s.ack.errors + s.ack.timeouts} | ${s.ack.non2xx} | ${s.backlog.atEnd} | ${s.backlog.drainedAfterSeconds ?? "> 120"} |`,
  );
  const e2e = result.scenarios.map((s) => `| ${s.database} | ${s.endToEnd.events} | ${s.endToEnd.tickets} | ${s.endToEnd.lagMs.p50} | ${s.endToEnd.lagMs.p95} | ${s.endToEnd.lagMs.p99} | ${s.endToEnd.lagMs.max} | ${s.endToEnd.failures} |`);
  return `# Jira webhooks benchmark

Generated by \`npm run bench -- --suite jira-webhooks\` (\`bench/jiraWebhooks.ts\`) on ${result.date}.

A real \`switchboard serve\` process (role all: HTTP and the job workers in one process), its Jira
connection made from \`JIRA_*\` variables and pointing at the test suite's fake Jira (a loopback HTTP
server in the benchmark process, which checks every call against the vendor OpenAPI document).

- **(a) Acknowledgement**: autocannon (its own process) POSTs the captured \`${SAMPLE}\` sample
  at a fixed ${result.options.rate} req/s over ${result.options.connections} connections for ${result.options.duration} s (after ${result.options.warmup} s of
  warm-up), signed with \`X-Hub-Signature\` and each with a new \`X-Atlassian-Webhook-Identifier\`, so
  every delivery is verified, parsed and stored (none is a duplicate). The receiver writes one row
  and nothing else; the dispatcher (\`jira.dispatch-events\`, in the same process, woken at most every
  50 ms) reads the stored rows in batches meanwhile and, the sample's issue being linked to nothing,
  settles them without a job each (the common case). Latency is the HTTP round trip to the 202.
  **Backlog** is how many stored deliveries were not yet processed when the load stopped, and
  **drained** how long after that none were (from \`GET /api/v1/connections/jira\`'s
  \`webhookBacklog\`): acknowledging fast is only honest if processing keeps up.
- **(b) End to end**: ${result.options.events} \`comment_created\` deliveries (built by the fake from its
  state, on the captured Cloud envelope) over ${result.options.tickets} linked tickets, at most one in flight per ticket;
  lag is from the POST to the note's \`message.created\` frame on a desk WebSocket, which is sent after
  the note is committed. In between: the dispatcher, the queue, a fresh read of the issue and its comments from Jira,
  the note's insert and the NOTIFY. Measured before (a), on an idle queue.

## Machine

- CPUs: ${m.cpus} (${m.cpuModel}); ${Math.round(m.totalMemoryBytes / 1024 ** 3)} GiB; Node ${m.node}; ${m.platform}
- Load average when measuring began: ${m.loadAverage.join(" / ")} (1 / 5 / 15 min; anything well above 0 means other processes shared the CPUs)
- PostgreSQL server: ${m.postgres}

## (a) Acknowledgement latency

| database | target req/s | achieved req/s | responses | p50 ms | p99 ms | max ms | errors + timeouts | non-2xx | backlog at end | drained after s |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${ack.join("\n")}

## (b) End-to-end lag, webhook POST to the ticket's note

| database | events | tickets | p50 ms | p95 ms | p99 ms | max ms | failed |
|---|---:|---:|---:|---:|---:|---:|---:|
${e2e.join("\n")}

Notes: the server, the load generator, the fake Jira and (for the postgres rows) PostgreSQL share
the machine's CPUs. The lag includes one Jira round trip for the issue and one for its comments,
on loopback here; against Jira Cloud add its latency (typically 100–300 ms per call).
`;
}

async function machineInfo(databaseUrl: string): Promise<Machine> {
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = "/postgres";
  const client = new pg.Client({ connectionString: maintenance.toString() });
  try {
    await client.connect();
    return await describeMachine(client);
  } catch {
    return { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? "unknown", totalMemoryBytes: os.totalmem(), platform: `${os.type()} ${os.release()} ${os.arch()}`, node: process.version, postgres: "not reachable", loadAverage: os.loadavg(), postgresSettings: {} };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(options: Options) {
  const machine = await machineInfo(options.databaseUrl);
  const scenarios: ScenarioResult[] = [];
  for (const kind of ["pglite", "postgres"] as const) {
    if (options.only && options.only !== kind) continue;
    log(`${kind}:`);
    scenarios.push(await scenario(kind, options));
  }
  const { databaseUrl: _url, ...shown } = options;
  const result = { benchmark: "jira-webhooks", date: new Date().toISOString(), machine, options: shown, scenarios };
  await writeResultFiles("jira-webhooks", result, markdown(result));
  log("wrote bench/results/jira-webhooks.json and bench/results/jira-webhooks.md");
}

export const runJiraWebhooksBench = (argv: string[]) => main(parse(argv));
