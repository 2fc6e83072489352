import type { Machine } from "../machine.js";
import type { ComputeResult } from "./compute.js";
import type { ConsistencyResult } from "./consistency.js";
import type { GenerationStats } from "./generate.js";
import type { Baseline, DueResult, ZeroDueResult } from "./sweep.js";

export type DatasetStats = {
  tickets: number;
  ticketEvents: number;
  clocks: number;
  /** Clocks with a next check, i.e. entries in the partial index the sweep reads. */
  indexedClocks: number;
  dueNow: number;
  nextCheck: { min: string | null; max: string | null };
  slaClocksTableBytes: number;
  nextCheckIndexBytes: number;
  databaseBytes: number;
};

export type SizeResult = {
  tickets: number;
  generation: GenerationStats;
  dataset: DatasetStats;
  /** Round trip and durable commit on this machine just before the sweeps. */
  baseline: Baseline;
  consistency: ConsistencyResult;
  zeroDue: ZeroDueResult;
  due: DueResult[];
  /** What the firing sweeps left behind, before those tickets were regenerated. */
  firingEffects: { due: number; escalated: number; notifications: number; slaEvents: number }[];
  loadAverage: { before: number[]; after: number[] };
};

export type TargetCheck = { name: string; rule: string; measured: string; met: boolean };

export type SlaBenchResult = {
  suite: "sla";
  date: string;
  machine: Machine;
  options: { tickets: number; sizes: number[]; due: number[]; repeats: number; sample: number; computeTickets: number; computeBudget: number; firing: boolean };
  target: { source: string; text: string; met: boolean; checks: TargetCheck[] };
  compute: { stored: ComputeResult | null; busy: ComputeResult | null };
  sizes: SizeResult[];
  notes: string[];
};

export const targetText = "SLA sweep cost proportional to the tickets due, not to all tickets";
export const targetSource =
  "DESIGN.md §6 as quoted in the brief (no DESIGN.md is in the repository); issue 3: \"The 0-due sweep must not grow with the ticket count\"";

const ms = (n: number | null | undefined, digits = 2) => (n === null || n === undefined ? "–" : n.toFixed(digits));
const int = (n: number) => n.toLocaleString("en");

/**
 * Rules fixed before the first run, not fitted to its numbers:
 * 1. 0 due: p50 at the largest size ≤ 1.5 × p50 at the smallest + 0.5 ms, and the selection reads
 *    at most 2 more buffers (one more B-tree level) and never scans sla_clocks sequentially.
 * 2. Due: per due ticket, the largest due count costs ≤ 2 × the smallest (linear in the due count).
 * 3. Due: per due ticket, the largest size costs ≤ 1.5 × the smallest (independent of the total).
 */
export function checkTarget(sizes: SizeResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const small = sizes[0];
  const large = sizes.at(-1);
  if (!small || !large) return checks;
  const p50s = small.zeroDue.latencyMs.p50 ?? Infinity;
  const p50l = large.zeroDue.latencyMs.p50 ?? Infinity;
  const bufs = small.zeroDue.explain.sharedBuffers ?? Infinity;
  const bufl = large.zeroDue.explain.sharedBuffers ?? Infinity;
  const seq = sizes.some((s) => /Seq Scan on sla_clocks/.test(s.zeroDue.explain.line));
  checks.push({
    name: "0-due sweep flat in ticket count",
    rule: `p50 at ${int(large.tickets)} ≤ 1.5 × p50 at ${int(small.tickets)} + 0.5 ms; buffers ≤ +2; no Seq Scan on sla_clocks`,
    measured: `p50 ${ms(p50s, 3)} → ${ms(p50l, 3)} ms; buffers ${bufs} → ${bufl}; ${seq ? "Seq Scan seen" : "index scan"}`,
    met: p50l <= 1.5 * p50s + 0.5 && bufl <= bufs + 2 && !seq,
  });
  for (const kind of ["flagged", "firing"] as const) {
    for (const size of sizes) {
      const runs = size.due.filter((d) => d.kind === kind);
      const first = runs[0];
      const last = runs.at(-1);
      if (!first || !last || first === last) continue;
      checks.push({
        name: `${kind}: cost linear in due (${int(size.tickets)} tickets)`,
        rule: `ms per due ticket at ${int(last.due)} due ≤ 2 × at ${int(first.due)} due`,
        measured: `${ms(first.msPerTicket, 3)} → ${ms(last.msPerTicket, 3)} ms per ticket`,
        met: last.msPerTicket <= 2 * first.msPerTicket,
      });
    }
    if (small !== large) {
      for (const run of large.due.filter((d) => d.kind === kind)) {
        const base = small.due.find((d) => d.kind === kind && d.due === run.due);
        if (!base) continue;
        checks.push({
          name: `${kind}: ${int(run.due)} due, cost independent of ticket count`,
          rule: `ms per due ticket at ${int(large.tickets)} ≤ 1.5 × at ${int(small.tickets)}`,
          measured: `${ms(base.msPerTicket, 3)} → ${ms(run.msPerTicket, 3)} ms per ticket`,
          met: run.msPerTicket <= 1.5 * base.msPerTicket,
        });
      }
    }
  }
  return checks;
}

function computeRow(label: string, c: ComputeResult | null): string {
  if (!c) return `| ${label} | skipped | | | | |`;
  const how = c.extrapolated ? `${int(c.measured)} measured, extrapolated` : `${int(c.measured)} measured`;
  return `| ${label} | ${how} | ${c.eventsPerTicket} | ${int(c.clocksPerSecond)} | ${int(c.ticketsPerSecond)} | ${c.secondsForRequested} s for ${int(c.requested)} |`;
}

export function markdown(r: SlaBenchResult): string {
  const m = r.machine;
  const lines: string[] = [
    `# SLA benchmark, ${int(r.options.tickets)} open tickets`,
    "",
    `${r.date} · ${m.cpus} CPUs (${m.cpuModel}) · ${(m.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB · Node ${m.node} · ${m.postgres.split(",")[0]}`,
    `Load average when measuring began: ${m.loadAverage.join(" / ")}. PostgreSQL: ${Object.entries(m.postgresSettings).map(([k, v]) => `${k}=${v}`).join(", ")}.`,
    "",
    `**Target** (${r.target.source}): ${r.target.text}. **${r.target.met ? "Met" : "Missed"}.**`,
    "",
    "| check | rule | measured | |",
    "|---|---|---|---|",
    ...r.target.checks.map((c) => `| ${c.name} | ${c.rule} | ${c.measured} | ${c.met ? "met" : "**missed**"} |`),
    "",
    "## Computing clocks (computeClocks, one core, in memory)",
    "",
    "| history | tickets | events/ticket | clocks/s | tickets/s | time |",
    "|---|---|---|---|---|---|",
    computeRow("as stored (created, policy, agent reply, in progress)", r.compute.stored),
    computeRow("busier (+ customer replies, a day waiting on customer)", r.compute.busy),
    "",
    "## Sweeps",
    "",
    "`runSlaSweep(db, now)` with its default limit of 500 tickets per call, called until no clock is left due.",
    "*flagged*: the stored next check of N resolution clocks is set to a second ago (history unchanged), so the",
    "sweep recomputes each ticket, fires nothing, and stores the real next check again.",
    "*firing*: N tickets' histories are moved back so that, replayed, a third have crossed 75%, a third 90% and",
    "a third their target; the sweep writes the warnings, breaches, notifications and escalations.",
    "",
    "| tickets | scenario | due | calls | total ms | ms per due ticket | statements per due ticket | p50 per call ms | actions (expected) | selection: rows, buffers, ms |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const s of r.sizes) {
    const z = s.zeroDue;
    lines.push(
      `| ${int(s.tickets)} | 0 due (${z.latencyMs.samples} runs) | 0 | 1 each | p50 ${ms(z.latencyMs.p50, 3)} / p95 ${ms(z.latencyMs.p95, 3)} / max ${ms(z.latencyMs.max, 3)} | – | – | – | ${z.actions} | ${z.explain.rowsScanned ?? "–"}, ${z.explain.sharedBuffers ?? "–"}, ${ms(z.explain.executionMs, 3)} |`,
    );
    for (const d of s.due) {
      lines.push(
        `| ${int(s.tickets)} | ${d.kind} | ${int(d.due)} | ${d.calls} | ${ms(d.totalMs, 1)} | ${ms(d.msPerTicket, 3)} | ${d.statementsPerTicket} | ${ms(d.callMs.p50, 1)} | ${d.actions.total} (${d.actions.expected ?? "–"}) | ${d.explain.rowsScanned ?? "–"}, ${d.explain.sharedBuffers ?? "–"}, ${ms(d.explain.executionMs, 3)} |`,
      );
    }
  }
  lines.push("", "0-due selection plans:", "");
  for (const s of r.sizes) lines.push(`- ${int(s.tickets)}: \`${s.zeroDue.explain.line}\``);
  lines.push("", "## Data and consistency", "", "| tickets | events | clocks | in next-check index | index size | next checks | generation | replay check |", "|---|---|---|---|---|---|---|---|");
  for (const s of r.sizes) {
    const d = s.dataset;
    const g = s.generation;
    const c = s.consistency;
    lines.push(
      `| ${int(d.tickets)} | ${int(d.ticketEvents)} | ${int(d.clocks)} | ${int(d.indexedClocks)} | ${(d.nextCheckIndexBytes / 2 ** 20).toFixed(1)} MiB | ${d.nextCheck.min?.slice(0, 16) ?? "–"} … ${d.nextCheck.max?.slice(0, 16) ?? "–"} | ${g.inserted ? `${int(g.inserted)} in ${g.seconds.toFixed(0)} s (${int(g.ticketsPerSecond)}/s)` : "existing"} | ${c.exact}/${c.sampled} exact, ${c.stillValidNow}/${c.sampled} valid now, ${c.mismatches.length} mismatches |`,
    );
  }
  lines.push(
    "",
    "Machine baseline just before each size's sweeps (the sweep commits one transaction per due ticket): " +
      r.sizes.map((s) => `${int(s.tickets)}: select 1 p50 ${ms(s.baseline.selectOneMs.p50, 3)} ms, durable commit p50 ${ms(s.baseline.commitMs.p50, 3)} ms / p95 ${ms(s.baseline.commitMs.p95, 3)} ms`).join("; ") +
      ".",
  );
  lines.push("", "Load average before → after each size: " + r.sizes.map((s) => `${int(s.tickets)}: ${s.loadAverage.before.join("/")} → ${s.loadAverage.after.join("/")}`).join("; ") + ".");
  if (r.notes.length) lines.push("", "## Notes", "", ...r.notes.map((n) => `- ${n}`));
  lines.push("");
  return lines.join("\n");
}
