import { min } from "drizzle-orm";
import { slaClocks } from "../db/schema/index.js";
import type { Db } from "../db/client.js";
import type { Logger } from "../logger.js";
import { runSlaSweep } from "../commands/sla/runSlaSweep.js";

/**
 * Runs the SLA sweep at the next clock's check time (exact to the second), and at least every
 * `intervalSeconds` so clocks written by other processes are picked up. The next check comes from
 * an index on next_check_at, so an idle desk costs one index probe per wake-up.
 * A timer rather than a pg-boss schedule: pg-boss cron has minute resolution, and a 1-hour
 * first-response target wants its 75% warning on time. Every worker process runs one; that is
 * safe because the sweep locks each ticket and records what it fired, so a second sweeper finds
 * nothing left to do (test/api/slaSweepIsolation.test.ts).
 */
export function startSlaScheduler(options: { db: Db; log: Logger; intervalSeconds: number }): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const tick = async () => {
    try {
      const actions = await runSlaSweep(options.db, new Date(), 500, {
        onError: (ticketId, error) => options.log.error({ err: error, ticketId }, "SLA sweep skipped a ticket it could not process"),
      });
      if (actions.length) options.log.info({ actions: actions.length }, "SLA sweep fired warnings or breaches");
    } catch (error) {
      options.log.error({ err: error }, "SLA sweep failed; retrying at the next tick");
    }
    if (stopped) return;
    const [row] = await options.db.select({ next: min(slaClocks.nextCheckAt) }).from(slaClocks).catch(() => [undefined]);
    const untilNext = row?.next ? new Date(row.next).getTime() - Date.now() : Infinity;
    const delay = Math.max(250, Math.min(untilNext, options.intervalSeconds * 1000));
    timer = setTimeout(() => (running = tick()), delay);
  };
  running = tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
