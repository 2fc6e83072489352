import type { AnyJobDefinition } from "./defineJob.js";
import { currentQueue, hasCurrentQueue } from "./queue.js";

/** Any pino logger, the request's included. */
export type WakeLog = { warn(obj: object, msg: string): void };

/**
 * Turns a burst of "there is work for `job`" signals into one job per `windowMs`: the first signal
 * of a quiet spell queues the job `windowMs` later, and signals until then ride along, because the
 * job takes whatever is waiting when it runs. Work is stored before it signals, so a signal lost
 * with its process is found by the job's cron sweep. Without a queue (a CLI) it does nothing.
 */
export function coalescedWake(job: AnyJobDefinition, windowMs: number): (log: WakeLog) => void {
  let timer: NodeJS.Timeout | undefined;
  return (log) => {
    if (timer || !hasCurrentQueue()) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!hasCurrentQueue()) return;
      currentQueue()
        .boss.send(job.name, {})
        .catch((error: unknown) => log.warn({ err: error, job: job.name }, "could not queue the job now; its cron sweep will pick the work up"));
    }, windowMs);
    timer.unref();
  };
}
