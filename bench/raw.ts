import type pg from "pg";
import { summarize, type LatencySummary } from "./stats.js";
import { COMMON_WORD, RARE_WORD } from "./vocabulary.js";
import type { ScenarioId } from "./http.js";
import type { Db } from "../src/db/client.js";
import { listTicketsQuery, type ListOptions } from "../src/db/repositories/listTickets.js";
import type { Actor } from "../src/policies/actor.js";
import { SYSTEM_USER_ID } from "../src/domain/systemActor.js";

/*
 * The statements are built by the app's own listTicketsQuery (src/db/repositories/listTickets.ts)
 * for an agent, so "raw" differs from "app" only by the HTTP, auth, ORM and serialisation layers
 * and can never drift from what the API sends.
 */
export type RawQuery = { id: Exclude<ScenarioId, "create">; sql: string; params: unknown[] };

const agent: Actor = { id: SYSTEM_USER_ID, role: "agent", email: "bench@switchboard.invalid", name: "bench", organizationId: null, isOrgManager: false };

function statement(db: Db, id: RawQuery["id"], options: ListOptions): RawQuery {
  const { sql, params } = listTicketsQuery(db, agent, options).toSQL();
  return { id, sql, params };
}

/** Needs any drizzle handle for the dialect; nothing is executed through it. */
export function rawQueries(db: Db): RawQuery[] {
  return [
    statement(db, "queue", { filters: { status: ["open", "in_progress"], priority: ["high"] }, sort: "sla_due", limit: 50 }),
    statement(db, "searchRare", { filters: { q: RARE_WORD }, sort: "-created_at", limit: 50 }),
    statement(db, "searchCommon", { filters: { q: COMMON_WORD }, sort: "-created_at", limit: 50 }),
  ];
}

/** `timedOut`: the first execution hit statement_timeout, so there are no samples. */
export type RawResult = { latency: LatencySummary; rows: number; timedOut: boolean };

const isTimeout = (error: unknown) => typeof error === "object" && error !== null && "code" in error && error.code === "57014";

/**
 * Times a statement through node-postgres in this process. Like drizzle, pg sends it as an unnamed
 * parameterised statement, so each execution is planned with its actual values. An execution that
 * hits statement_timeout ends the loop; the result is then marked timedOut (samples, if any, are
 * the executions that finished).
 */
export async function timeRawQuery(client: pg.Client, query: RawQuery, budgetSeconds: number, maxIterations: number): Promise<RawResult> {
  const samples: number[] = [];
  let rows = 0;
  let warm = false;
  const deadline = performance.now() + budgetSeconds * 1000;
  // At least a handful of samples even for multi-second queries, so p95 is not a single point.
  while (samples.length < maxIterations && (samples.length < 5 || performance.now() < deadline)) {
    const t0 = performance.now();
    try {
      rows = (await client.query(query.sql, query.params)).rowCount ?? 0;
    } catch (error) {
      if (isTimeout(error)) return { latency: summarize(samples), rows, timedOut: true };
      throw error;
    }
    // The first execution only warms caches.
    if (warm) samples.push(performance.now() - t0);
    warm = true;
  }
  return { latency: summarize(samples), rows, timedOut: false };
}

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Parent Relationship"?: string;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
};
type ExplainJson = [{ Plan: PlanNode; "Planning Time": number; "Execution Time": number }];

/** Times are null when the statement was too slow to execute under statement_timeout. */
export type ExplainSummary = { line: string; executionMs: number | null; planningMs: number | null; text: string[] };

function describe(node: PlanNode): string {
  const target = node["Index Name"] ?? node["Relation Name"];
  const subplan = node["Parent Relationship"] === "SubPlan" ? "SubPlan: " : "";
  return `${subplan}${node["Node Type"]}${target ? `(${target})` : ""}`;
}

function flatten(node: PlanNode, out: string[] = []): string[] {
  out.push(describe(node));
  for (const child of node.Plans ?? []) flatten(child, out);
  return out;
}

/** For a statement too slow to run to completion: the estimated plan only. */
async function explainWithoutRunning(client: pg.Client, query: RawQuery): Promise<ExplainSummary> {
  const json = await client.query<{ "QUERY PLAN": ExplainJson }>(`explain (format json) ${query.sql}`, query.params);
  const plan = json.rows[0]?.["QUERY PLAN"][0];
  if (!plan) throw new Error(`no plan for ${query.id}`);
  const text = await client.query<{ "QUERY PLAN": string }>(`explain ${query.sql}`, query.params);
  return {
    line: `${flatten(plan.Plan).join(" > ")}; not executed: exceeded statement_timeout (estimated plan only)`,
    executionMs: null,
    planningMs: null,
    text: text.rows.map((r) => r["QUERY PLAN"]),
  };
}

/** EXPLAIN (ANALYZE, BUFFERS) condensed to one line: plan nodes in pre-order, times and buffers. */
export async function explainQuery(client: pg.Client, query: RawQuery, timedOut: boolean): Promise<ExplainSummary> {
  if (timedOut) return explainWithoutRunning(client, query);
  const json = await client.query<{ "QUERY PLAN": ExplainJson }>(`explain (analyze, buffers, format json) ${query.sql}`, query.params);
  const plan = json.rows[0]?.["QUERY PLAN"][0];
  if (!plan) throw new Error(`no plan for ${query.id}`);
  const text = await client.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${query.sql}`, query.params);
  const root = plan.Plan;
  const executionMs = Math.round(plan["Execution Time"] * 1000) / 1000;
  const planningMs = Math.round(plan["Planning Time"] * 1000) / 1000;
  const buffers = `shared hit=${root["Shared Hit Blocks"] ?? 0} read=${root["Shared Read Blocks"] ?? 0}`;
  return {
    line: `${flatten(root).join(" > ")}; execution ${executionMs} ms, planning ${planningMs} ms, ${buffers}`,
    executionMs,
    planningMs,
    text: text.rows.map((r) => r["QUERY PLAN"]),
  };
}
