import os from "node:os";
import type pg from "pg";

export type Machine = {
  cpus: number;
  cpuModel: string;
  totalMemoryBytes: number;
  platform: string;
  node: string;
  postgres: string;
  /** 1, 5 and 15-minute load averages when measuring began: anything well above 0 means another process shared the CPUs. */
  loadAverage: number[];
  /** Server settings that move these numbers the most. */
  postgresSettings: Record<string, string>;
};

const settings = ["shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "max_connections", "jit"];

export async function describeMachine(client: pg.Client): Promise<Machine> {
  const version = await client.query<{ v: string }>("select version() v");
  const shown = await client.query<{ name: string; setting: string }>(
    "select name, current_setting(name) setting from pg_settings where name = any($1)",
    [settings],
  );
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    totalMemoryBytes: os.totalmem(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: version.rows[0]?.v ?? "unknown",
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
    postgresSettings: Object.fromEntries(shown.rows.map((r) => [r.name, r.setting])),
  };
}
