import { parseArgs } from "node:util";

export type SlaBenchOptions = {
  /** The largest size, and the N in the results' file name. */
  tickets: number;
  /** Ticket counts at which the sweeps are measured, ascending; the last is `tickets`. */
  sizes: number[];
  /** Clocks made due in the due scenarios. */
  due: number[];
  databaseUrl: string;
  regenerate: boolean;
  /** Tickets whose clocks are computed in memory (0 skips), and the compute time budget in seconds. */
  computeTickets: number;
  computeBudget: number;
  /** Measured 0-due sweeps per size. */
  repeats: number;
  /** Tickets replayed for the consistency check at each size. */
  sample: number;
  /** Skip the firing scenarios (they rewrite and then regenerate the tickets they use). */
  firing: boolean;
  generateOnly: boolean;
  /** Where the JSON and Markdown results go. */
  outDir: string;
};

export const defaultSlaDatabaseUrl = "postgres://switchboard:switchboard@127.0.0.1:5432/switchboard_bench_sla";

export const usage = `tsx bench/sla/run.ts [options]    (SLA engine: clock computation and the sweeper)

  --tickets N            largest ticket count (default 1000000)
  --sizes A,B            ticket counts to measure the sweeps at (default 100000,N; each must be <= N)
  --due A,B              clocks made due per scenario (default 100,10000)
  --database-url URL     bench database (default BENCH_SLA_DATABASE_URL or ${defaultSlaDatabaseUrl})
  --regenerate           drop and recreate the database first
  --compute-tickets N    tickets whose clocks are computed in memory (default 1000000; 0 skips)
  --compute-budget S     seconds of compute before extrapolating from what was done (default 180)
  --repeats N            measured 0-due sweeps per size (default 50)
  --sample N             tickets replayed for the consistency check per size (default 20)
  --no-firing            skip the scenarios where warnings and breaches really fire
  --generate-only        generate data and stop
  --out DIR              results directory (default bench/results)
`;

function count(name: string, value: string | undefined, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < 0 || (n === 0 && !allowZero)) throw new Error(`--${name} must be a whole number${allowZero ? "" : " > 0"}, got ${value}`);
  return n;
}

function list(name: string, value: string | undefined, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  return [...new Set(value.split(",").map((v) => count(name, v.trim(), 0)))].sort((a, b) => a - b);
}

export function parseSlaOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): SlaBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: "string" },
      tickets: { type: "string" },
      sizes: { type: "string" },
      due: { type: "string" },
      "database-url": { type: "string" },
      regenerate: { type: "boolean", default: false },
      "compute-tickets": { type: "string" },
      "compute-budget": { type: "string" },
      repeats: { type: "string" },
      sample: { type: "string" },
      "no-firing": { type: "boolean", default: false },
      "generate-only": { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  if (values.suite !== undefined && values.suite !== "sla") throw new Error(`this is the sla suite, not "${values.suite}"`);
  const tickets = count("tickets", values.tickets, 1_000_000);
  const sizes = list("sizes", values.sizes, [...new Set([Math.min(100_000, tickets), tickets])]);
  if (sizes.some((s) => s > tickets)) throw new Error("--sizes must not exceed --tickets");
  if (sizes.at(-1) !== tickets) sizes.push(tickets);
  const due = list("due", values.due, [100, 10_000]);
  if (due.some((d) => d > (sizes[0] ?? 0) / 2)) throw new Error("--due must be at most half the smallest size");
  const databaseUrl = values["database-url"] ?? env.BENCH_SLA_DATABASE_URL ?? defaultSlaDatabaseUrl;
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error("the bench database must be a postgres:// URL");
  return {
    tickets,
    sizes,
    due,
    databaseUrl,
    regenerate: values.regenerate ?? false,
    computeTickets: count("compute-tickets", values["compute-tickets"], 1_000_000, true),
    computeBudget: count("compute-budget", values["compute-budget"], 180),
    repeats: count("repeats", values.repeats, 50),
    sample: count("sample", values.sample, 20),
    firing: !(values["no-firing"] ?? false),
    generateOnly: values["generate-only"] ?? false,
    outDir: values.out ?? "bench/results",
  };
}
