import { parseArgs } from "node:util";

export type BenchOptions = {
  tickets: number;
  databaseUrl: string;
  regenerate: boolean;
  /** Seconds of measured load per HTTP scenario. */
  duration: number;
  /** Seconds of unmeasured load before each HTTP scenario. */
  warmup: number;
  connections: number;
  /** Server-side statement_timeout for the app and raw SQL, in seconds; autocannon waits 5 s longer. */
  timeout: number;
  /** Time budget for each raw-SQL query's loop, in seconds. */
  rawSeconds: number;
  rawMaxIterations: number;
  /** Skip the HTTP scenarios and raw SQL; only make sure the data exists. */
  generateOnly: boolean;
};

export const defaultDatabaseUrl = "postgres://switchboard:switchboard@127.0.0.1:5432/switchboard_bench";

export const usage = `npm run bench -- [options]

  --tickets N           tickets to generate (default 100000)
  --database-url URL    bench database (default BENCH_DATABASE_URL or ${defaultDatabaseUrl})
  --regenerate          drop and recreate the bench database first
  --duration S          measured seconds per HTTP scenario (default 10)
  --warmup S            warm-up seconds before each HTTP scenario (default 2)
  --connections N       concurrent HTTP connections (default 10)
  --timeout S           statement_timeout for the app and raw SQL; HTTP waits 5 s more (default 30)
  --raw-seconds S       time budget per raw-SQL query (default 5)
  --raw-iterations N    iteration cap per raw-SQL query (default 300)
  --generate-only       generate data and stop
`;

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll("_", ""));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${value}`);
  return n;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      tickets: { type: "string" },
      "database-url": { type: "string" },
      regenerate: { type: "boolean", default: false },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      timeout: { type: "string" },
      "raw-seconds": { type: "string" },
      "raw-iterations": { type: "string" },
      "generate-only": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const databaseUrl = values["database-url"] ?? env.BENCH_DATABASE_URL ?? defaultDatabaseUrl;
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error("the bench database must be a postgres:// URL");
  return {
    tickets: Math.round(positiveNumber("tickets", values.tickets, 100_000)),
    databaseUrl,
    regenerate: values.regenerate ?? false,
    duration: positiveNumber("duration", values.duration, 10),
    warmup: values.warmup === "0" ? 0 : positiveNumber("warmup", values.warmup, 2),
    connections: Math.round(positiveNumber("connections", values.connections, 10)),
    timeout: positiveNumber("timeout", values.timeout, 30),
    rawSeconds: positiveNumber("raw-seconds", values["raw-seconds"], 5),
    rawMaxIterations: Math.round(positiveNumber("raw-iterations", values["raw-iterations"], 300)),
    generateOnly: values["generate-only"] ?? false,
  };
}
