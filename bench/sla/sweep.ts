import { asc, inArray, lte } from "drizzle-orm";
import type pg from "pg";
import type { Db } from "../../src/db/client.js";
import { slaClocks, ticketEvents, tickets } from "../../src/db/schema/index.js";
import { loadPolicyVersions } from "../../src/db/repositories/slaConfig.js";
import { runSlaSweep, type SweepAction } from "../../src/commands/sla/runSlaSweep.js";
import { referencedVersionIds, toClockEvents } from "../../src/commands/sla/toClockEvents.js";
import { computeClocks, type ClockEvent } from "../../src/domain/sla/computeClocks.js";
import { summarize, type LatencySummary } from "../stats.js";
import { rnd } from "./shapes.js";
import { ticketNumber } from "./generate.js";

export type ExplainSummary = {
  /** Plan nodes in pre-order, "→"-joined. */
  line: string;
  executionMs: number | null;
  planningMs: number | null;
  /** Shared buffers of the top plan node (hit + read): the pages the query touched. */
  sharedBuffers: number | null;
  /** Rows the scan of sla_clocks returned. */
  rowsScanned: number | null;
  text: string[];
};

export type ZeroDueResult = {
  due: number;
  warmup: number;
  latencyMs: LatencySummary;
  actions: number;
  explain: ExplainSummary;
};

export type DueResult = {
  kind: "flagged" | "firing";
  due: number;
  /** runSlaSweep calls (default limit 500 each) until no clock was left due. */
  calls: number;
  totalMs: number;
  msPerTicket: number;
  callMs: LatencySummary;
  actions: { total: number; warnings75: number; warnings90: number; breaches: number; expected: number | null };
  /** The selection query with every clock of the scenario due, before the first call. */
  explain: ExplainSummary;
  dueLeft: number;
  /** SQL statements the sweeps sent (begin and commit included), in total and per due ticket. */
  statements: number;
  statementsPerTicket: number;
};

/** Reads how many statements the sweep's database handle has sent so far. */
export type StatementCounter = () => number;

/**
 * The statement runSlaSweep issues to find due clocks, built the same way (drizzle, same columns,
 * order and limit). If runSlaSweep's query changes, change this one with it.
 */
export function sweepSelection(db: Db, now: Date, limit = 500): { sql: string; params: unknown[] } {
  return db
    .selectDistinct({ ticketId: slaClocks.ticketId, at: slaClocks.nextCheckAt })
    .from(slaClocks)
    .where(lte(slaClocks.nextCheckAt, now))
    .orderBy(asc(slaClocks.nextCheckAt))
    .limit(limit)
    .toSQL();
}

export async function explainSelection(client: pg.Client, db: Db, now: Date): Promise<ExplainSummary> {
  const { sql, params } = sweepSelection(db, now);
  const { rows } = await client.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${sql}`, params);
  const text = rows.map((r) => r["QUERY PLAN"]);
  const nodes = text
    .filter((l, i) => i === 0 || l.trimStart().startsWith("->"))
    .map((l) => l.replace(/^\s*->\s*/, "").replace(/\s+\(cost=.*$/, "").trim());
  const number = (re: RegExp) => {
    const m = text.map((l) => re.exec(l)).find(Boolean);
    return m?.[1] === undefined ? null : Number(m[1]);
  };
  const topBuffers = text.slice(1).find((l) => l.trim().startsWith("Buffers:")) ?? "";
  const hit = /hit=(\d+)/.exec(topBuffers)?.[1];
  const read = /read=(\d+)/.exec(topBuffers)?.[1];
  const scan = text.find((l) => /Scan .*sla_clocks/.test(l)) ?? "";
  const rowsScanned = /actual time=[\d.]+\.\.[\d.]+ rows=(\d+)/.exec(scan)?.[1];
  return {
    line: nodes.join(" → "),
    executionMs: number(/Execution Time: ([\d.]+) ms/),
    planningMs: number(/Planning Time: ([\d.]+) ms/),
    sharedBuffers: topBuffers ? Number(hit ?? 0) + Number(read ?? 0) : null,
    rowsScanned: rowsScanned === undefined ? null : Number(rowsScanned),
    text,
  };
}

export async function countDue(client: pg.Client, now: Date): Promise<number> {
  const { rows } = await client.query<{ n: string }>("select count(*) n from sla_clocks where next_check_at <= $1", [now]);
  return Number(rows[0]?.n ?? 0);
}

export type Baseline = { selectOneMs: LatencySummary; commitMs: LatencySummary };

/**
 * What one round trip and one durable commit cost on this machine right now: the sweep commits a
 * transaction per due ticket, so a slow fsync (e.g. another process writing) shows up per ticket.
 */
export async function measureBaseline(client: pg.Client, n = 100): Promise<Baseline> {
  const select: number[] = [];
  const commit: number[] = [];
  for (let i = 0; i < n; i++) {
    let started = performance.now();
    await client.query("select 1");
    select.push(performance.now() - started);
    started = performance.now();
    await client.query("begin");
    await client.query("select txid_current()");
    await client.query("commit");
    commit.push(performance.now() - started);
  }
  return { selectOneMs: summarize(select), commitMs: summarize(commit) };
}

/** `count` distinct ticket numbers in 1…total, spread over the whole table. */
export function pickTickets(total: number, count: number, salt: number): number[] {
  if (count > total) throw new Error(`cannot pick ${count} of ${total} tickets`);
  const picked = new Set<number>();
  for (let i = 1; picked.size < count; i++) picked.add(1 + Math.floor(rnd(i, salt) * total));
  return [...picked].sort((a, b) => a - b);
}

/** The sweep with nothing due: only the selection query should run, whatever the ticket count. */
export async function measureZeroDue(db: Db, client: pg.Client, repeats: number, warmup: number): Promise<ZeroDueResult> {
  const due = await countDue(client, new Date());
  if (due !== 0) throw new Error(`${due} clocks are due before the 0-due sweep`);
  for (let i = 0; i < warmup; i++) await runSlaSweep(db, new Date());
  const samples: number[] = [];
  let actions = 0;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    const done = await runSlaSweep(db, new Date());
    samples.push(performance.now() - started);
    actions += done.length;
  }
  return { due, warmup, latencyMs: summarize(samples), actions, explain: await explainSelection(client, db, new Date()) };
}

async function sweepUntilDone(db: Db, client: pg.Client, maxCalls: number, statements: StatementCounter) {
  const before = statements();
  const callMs: number[] = [];
  const actions: SweepAction[] = [];
  let dueLeft = 0;
  for (;;) {
    const started = performance.now();
    actions.push(...(await runSlaSweep(db, new Date())));
    callMs.push(performance.now() - started);
    dueLeft = await countDue(client, new Date());
    if (dueLeft === 0 || callMs.length >= maxCalls) break;
  }
  return { callMs, actions, dueLeft, statements: statements() - before };
}

function dueResult(kind: DueResult["kind"], due: number, run: Awaited<ReturnType<typeof sweepUntilDone>>, explain: ExplainSummary, expected: number | null): DueResult {
  const totalMs = run.callMs.reduce((a, b) => a + b, 0);
  const warnings = (threshold: number) => run.actions.filter((a) => a.kind === "warning" && a.threshold === threshold).length;
  return {
    kind,
    due,
    calls: run.callMs.length,
    totalMs: Math.round(totalMs * 10) / 10,
    msPerTicket: Math.round((totalMs / due) * 1000) / 1000,
    callMs: summarize(run.callMs),
    actions: {
      total: run.actions.length,
      warnings75: warnings(75),
      warnings90: warnings(90),
      breaches: run.actions.filter((a) => a.kind === "breach").length,
      expected,
    },
    explain,
    dueLeft: run.dueLeft,
    statements: run.statements,
    statementsPerTicket: Math.round((run.statements / due) * 10) / 10,
  };
}

const maxCallsFor = (due: number) => Math.ceil(due / 500) + 10;

/**
 * "Due" as the brief states it: the stored next check of `gs`' resolution clocks is set to a
 * second ago, but their history is unchanged, so the sweep recomputes each ticket, finds nothing
 * crossed, fires nothing and stores the real next check again. This is the sweep's fixed cost per
 * due ticket. Leaves the tickets as they were (the recomputation restores the cache).
 */
export async function measureFlagged(db: Db, client: pg.Client, gs: number[], statements: StatementCounter): Promise<DueResult> {
  const now = new Date();
  const { rowCount } = await client.query(
    `update sla_clocks c set next_check_at = $2 from tickets t
     where t.id = c.ticket_id and t.number = any($1::text[]) and c.metric = 'resolution'`,
    [gs.map(ticketNumber), new Date(now.getTime() - 1000)],
  );
  if (rowCount !== gs.length) throw new Error(`flagged ${rowCount} clocks, expected ${gs.length}`);
  const explain = await explainSelection(client, db, new Date());
  const run = await sweepUntilDone(db, client, maxCallsFor(gs.length), statements);
  return dueResult("flagged", gs.length, run, explain, 0);
}

type EventRow = typeof ticketEvents.$inferSelect;

/** Fraction of the resolution target used at sweep time: a third cross 75%, a third 90%, a third breach. */
const bands = [
  { goal: 0.8, actions: 1 },
  { goal: 0.95, actions: 2 },
  { goal: 1.1, actions: 3 },
] as const;

/** Resolution seconds used at `now` if the ticket's whole history happened `shiftMs` earlier. */
function consumedIfShifted(events: ClockEvent[], shiftMs: number, now: Date): number {
  const shifted = events.map((e) => ({ ...e, at: new Date(e.at.getTime() - shiftMs) }));
  return computeClocks(shifted, now).find((c) => c.metric === "resolution")?.consumedSeconds ?? 0;
}

/**
 * Really due: each chosen ticket's history is moved back in time (events, ticket and clock
 * timestamps) so that, replayed now, its resolution clock has crossed 75%, 90%, or its target.
 * The sweep then does its full work: warning and breach events, notifications to the assignee,
 * team leads and admins, the escalation flag, and a recomputation after each change. The
 * tickets must be regenerated afterwards.
 */
export async function measureFiring(db: Db, client: pg.Client, gs: number[], statements: StatementCounter): Promise<DueResult> {
  const idRows = await db.select({ id: tickets.id, number: tickets.number }).from(tickets).where(inArray(tickets.number, gs.map(ticketNumber)));
  if (idRows.length !== gs.length) throw new Error(`found ${idRows.length} of ${gs.length} tickets`);
  const ids = idRows.map((r) => r.id);
  const rows: EventRow[] = [];
  for (let i = 0; i < ids.length; i += 5000) {
    rows.push(...(await db.select().from(ticketEvents).where(inArray(ticketEvents.ticketId, ids.slice(i, i + 5000))).orderBy(asc(ticketEvents.ticketId), asc(ticketEvents.id))));
  }
  const versions = await loadPolicyVersions(db, referencedVersionIds(rows));
  const byTicket = new Map<string, EventRow[]>();
  for (const r of rows) byTicket.set(r.ticketId, [...(byTicket.get(r.ticketId) ?? []), r]);
  // Aim a little ahead: setting up and sweeping take a while, and the clocks keep running meanwhile.
  const aimAt = new Date(Date.now() + 60_000);
  const shifts: number[] = [];
  let expected = 0;
  ids.forEach((id, index) => {
    const events = toClockEvents(byTicket.get(id) ?? [], versions);
    const resolution = computeClocks(events, aimAt).find((c) => c.metric === "resolution");
    if (!resolution) throw new Error(`ticket ${id} has no resolution clock`);
    const band = bands[index % bands.length]!;
    const goal = Math.ceil(resolution.targetSeconds * band.goal);
    // Smallest shift, in minutes, that uses up `goal` seconds by now (consumed grows with the shift).
    let lo = 0;
    let hi = 180 * 24 * 60;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (consumedIfShifted(events, mid * 60_000, aimAt) >= goal) hi = mid;
      else lo = mid + 1;
    }
    shifts.push(lo * 60);
    expected += band.actions;
  });
  const flaggedAt = new Date(Date.now() - 1000);
  await client.query("begin");
  try {
    const shiftTable = `with s as (select * from unnest($1::uuid[], $2::float8[]) s(id, shift))`;
    const params = [ids, shifts];
    await client.query(`${shiftTable} update ticket_events e set created_at = e.created_at - s.shift * interval '1 second' from s where e.ticket_id = s.id`, params);
    await client.query(
      `${shiftTable} update tickets t set created_at = t.created_at - s.shift * interval '1 second',
         updated_at = t.updated_at - s.shift * interval '1 second', first_responded_at = t.first_responded_at - s.shift * interval '1 second',
         sla_due_at = t.sla_due_at - s.shift * interval '1 second' from s where t.id = s.id`,
      params,
    );
    await client.query(
      `${shiftTable} update sla_clocks c set started_at = c.started_at - s.shift * interval '1 second',
         due_at = c.due_at - s.shift * interval '1 second', met_at = c.met_at - s.shift * interval '1 second',
         next_check_at = case when c.next_check_at is not null then $3::timestamptz end
       from s where c.ticket_id = s.id`,
      [...params, flaggedAt],
    );
    await client.query("commit");
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
  const explain = await explainSelection(client, db, new Date());
  const run = await sweepUntilDone(db, client, maxCallsFor(gs.length), statements);
  return dueResult("firing", gs.length, run, explain, expected);
}

/** How many of `gs` the sweep left escalated, and the notifications it wrote for them. */
export async function sweepEffects(client: pg.Client, gs: number[]): Promise<{ escalated: number; notifications: number; slaEvents: number }> {
  const { rows } = await client.query<{ escalated: string; notifications: string; events: string }>(
    `with t as (select id, is_escalated from tickets where number = any($1::text[]))
     select (select count(*) from t where is_escalated) escalated,
            (select count(*) from notifications n join t on t.id = n.ticket_id) notifications,
            (select count(*) from ticket_events e join t on t.id = e.ticket_id where e.type in ('sla.warning', 'sla.breached')) events`,
    [gs.map(ticketNumber)],
  );
  const r = rows[0];
  return { escalated: Number(r?.escalated ?? 0), notifications: Number(r?.notifications ?? 0), slaEvents: Number(r?.events ?? 0) };
}
