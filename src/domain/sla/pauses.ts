import type { MsInterval } from "./workingIntervals.js";

/** A span during which an SLA clock stood still (e.g. waiting on the customer). */
export type Pause = { from: Date; to: Date };

export function wholeSecond(at: number): number {
  return Math.floor(at / 1000) * 1000;
}

export function instantOf(date: Date, what: string): number {
  const at = date.getTime();
  if (!Number.isFinite(at)) throw new RangeError(`${what} is not a valid date`);
  return wholeSecond(at);
}

/**
 * Pauses clipped to [from, to), floored to whole seconds, sorted and merged, so overlapping
 * pauses (two statuses that both pause a metric) are not subtracted twice.
 */
export function normalizePauses(from: number, to: number, pauses: readonly Pause[]): MsInterval[] {
  const clipped: [number, number][] = [];
  pauses.forEach((pause, index) => {
    const s = instantOf(pause.from, `pauses[${index}].from`);
    const e = instantOf(pause.to, `pauses[${index}].to`);
    if (e < s) throw new RangeError(`pauses[${index}] ends before it starts`);
    const cs = Math.max(s, from);
    const ce = Math.min(e, to);
    if (ce > cs) clipped.push([cs, ce]);
  });
  clipped.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of clipped) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

/** [from, to) minus the (normalized) pauses: the windows in which a clock may run. */
export function runningWindows(from: number, to: number, pauses: readonly MsInterval[]): MsInterval[] {
  const out: MsInterval[] = [];
  let cursor = from;
  for (const [s, e] of pauses) {
    if (s > cursor) out.push([cursor, s]);
    cursor = Math.max(cursor, e);
  }
  if (to > cursor) out.push([cursor, to]);
  return out;
}
