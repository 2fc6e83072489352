import { computeClocks, type ClockEvent, type ResolvedPolicy } from "../../src/domain/sla/computeClocks.js";
import { clockEventsOf, draw, policyFor, type BenchPriority, type TicketShape } from "./shapes.js";

export type ComputeResult = {
  /** Tickets asked for, and tickets actually replayed (fewer when the time budget ran out). */
  requested: number;
  measured: number;
  /** true: the 1M figure is extrapolated from `measured`. */
  extrapolated: boolean;
  eventsPerTicket: number;
  clocks: number;
  /** Time inside computeClocks only (building the event lists is not counted). */
  seconds: number;
  ticketsPerSecond: number;
  clocksPerSecond: number;
  /** Seconds for `requested` tickets: measured, or extrapolated at the measured rate. */
  secondsForRequested: number;
  microsecondsPerTicket: number;
  /** Slowest chunk vs fastest, a sign of GC or CPU contention. */
  chunkTicketsPerSecond: { min: number; max: number };
};

const CHUNK = 50_000;

/**
 * A busier history than the stored tickets': after the first reply the customer writes back
 * (next response starts), the agent answers, the ticket waits on the customer for a day
 * (resolution and next response pause), the customer answers again and the agent replies.
 */
function busyEvents(shape: TicketShape, policy: ResolvedPolicy): ClockEvent[] {
  const t = shape.repliedAt;
  const h = 3_600_000;
  return [
    ...clockEventsOf(shape, policy),
    { type: "customer_reply", at: new Date(t + 2 * h) },
    { type: "agent_reply", at: new Date(t + 3 * h) },
    { type: "status", at: new Date(t + 3 * h), from: shape.statusChangedAt === null ? "open" : "in_progress", to: "waiting_on_customer" },
    { type: "customer_reply", at: new Date(t + 27 * h) },
    { type: "status", at: new Date(t + 27 * h), from: "waiting_on_customer", to: "open" },
    { type: "agent_reply", at: new Date(t + 28 * h) },
  ];
}

/**
 * Times computeClocks, the pure replay the sweep and every ticket change run, over synthetic
 * event lists of open tickets. Stops early, and extrapolates, once `budgetSeconds` of compute are used.
 */
export function measureCompute(
  requested: number,
  budgetSeconds: number,
  policies: ReadonlyMap<BenchPriority, ResolvedPolicy>,
  variant: "stored" | "busy",
  log: (line: string) => void,
): ComputeResult {
  const anchor = Math.floor(Date.now() / 1000) * 1000;
  const now = new Date(anchor);
  let measured = 0;
  let clocks = 0;
  let events = 0;
  let seconds = 0;
  const rates: number[] = [];
  while (measured < requested) {
    const size = Math.min(CHUNK, requested - measured);
    const lists: ClockEvent[][] = new Array(size);
    for (let i = 0; i < size; i++) {
      const shape = draw(measured + i + 1, anchor, 0);
      const policy = policyFor(policies, shape.priority);
      lists[i] = variant === "stored" ? clockEventsOf(shape, policy) : busyEvents(shape, policy);
    }
    const started = performance.now();
    for (const list of lists) clocks += computeClocks(list, now).length;
    const elapsed = (performance.now() - started) / 1000;
    seconds += elapsed;
    rates.push(size / elapsed);
    for (const list of lists) events += list.length;
    measured += size;
    if (measured % 200_000 === 0 || measured === requested) log(`  ${variant}: ${measured.toLocaleString("en")} tickets, ${Math.round(measured / seconds).toLocaleString("en")}/s`);
    if (seconds >= budgetSeconds && measured < requested) {
      log(`  ${variant}: time budget of ${budgetSeconds} s used; extrapolating from ${measured.toLocaleString("en")} tickets`);
      break;
    }
  }
  const ticketsPerSecond = measured / seconds;
  return {
    requested,
    measured,
    extrapolated: measured < requested,
    eventsPerTicket: Math.round((events / measured) * 100) / 100,
    clocks,
    seconds: Math.round(seconds * 1000) / 1000,
    ticketsPerSecond: Math.round(ticketsPerSecond),
    clocksPerSecond: Math.round(clocks / seconds),
    secondsForRequested: Math.round((requested / ticketsPerSecond) * 10) / 10,
    microsecondsPerTicket: Math.round((1e6 / ticketsPerSecond) * 10) / 10,
    chunkTicketsPerSecond: { min: Math.round(Math.min(...rates)), max: Math.round(Math.max(...rates)) },
  };
}
