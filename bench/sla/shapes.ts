import { computeClocks, type ClockEvent, type ClockSnapshot, type ResolvedPolicy } from "../../src/domain/sla/computeClocks.js";

/**
 * The open tickets the SLA benchmark stores, one deterministic "shape" per ticket number g.
 *
 * Every ticket was filed by a customer, had the default policy for its priority applied at
 * creation, and got a public agent reply within the hour (first response met); about 60% were
 * then moved to in_progress. So each ticket has two clocks: first_response (met, nothing left
 * to check) and resolution (running, next check at its 75% warning). The creation time is
 * drawn so that the 75% mark lies between 1 and 30 days after the generation instant: with
 * zero clocks due, any work a sweep does is overhead that a growing ticket count could cause.
 *
 * Urgent tickets are left out: a 4-business-hour resolution target can never be a day away,
 * so an open urgent ticket is always close to due and would break "0 due" at any size.
 */

export type BenchPriority = "low" | "medium" | "high";
export type BenchStatus = "open" | "in_progress";

export type TicketShape = {
  g: number;
  priority: BenchPriority;
  status: BenchStatus;
  /** Whole-second epoch milliseconds. */
  createdAt: number;
  repliedAt: number;
  /** open → in_progress, a minute after the reply; null when the ticket stayed open. */
  statusChangedAt: number | null;
  requesterIndex: number;
  agentIndex: number;
  teamIndex: number;
};

export const benchPeople = { customers: 5000, agents: 50, teams: 5 } as const;

/** Where the first warning (75%) of an open ticket's resolution clock may fall, after the generation instant. */
export const nextCheckWindow = { minMs: 86_400_000, maxMs: 30 * 86_400_000 } as const;

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** How far back a ticket of each priority may have been filed (calendar time). */
const maxAge: Record<BenchPriority, number> = { high: 8 * HOUR, medium: 6 * DAY, low: 20 * DAY };

/** A 32-bit integer hash (murmur3 finaliser) of (g, salt), as a float in [0, 1). */
export function rnd(g: number, salt: number): number {
  let h = Math.imul(g ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b) ^ salt;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}

const floorSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

function priorityOf(g: number): BenchPriority {
  const r = rnd(g, 1);
  return r < 0.4 ? "low" : r < 0.85 ? "medium" : "high";
}

/** Candidate shape for attempt k; attempts past the last fall back to a ticket filed two minutes ago. */
export function draw(g: number, anchor: number, attempt: number): TicketShape {
  const priority = priorityOf(g);
  const age = attempt < 0 ? 120_000 : Math.max(120_000, floorSecond(rnd(g, 10 + attempt) * maxAge[priority]));
  const createdAt = floorSecond(anchor) - age;
  const repliedAt = createdAt + floorSecond(rnd(g, 40 + Math.max(attempt, 0)) * Math.min(age - 120_000, HOUR));
  const status: BenchStatus = rnd(g, 2) < 0.4 ? "open" : "in_progress";
  return {
    g,
    priority,
    status,
    createdAt,
    repliedAt,
    statusChangedAt: status === "in_progress" ? repliedAt + 60_000 : null,
    requesterIndex: Math.floor(rnd(g, 3) * benchPeople.customers),
    agentIndex: Math.floor(rnd(g, 4) * benchPeople.agents),
    teamIndex: Math.floor(rnd(g, 5) * benchPeople.teams),
  };
}

/** What the replay reads from the ticket_events rows generated for a shape (see toClockEvents). */
export function clockEventsOf(shape: TicketShape, policy: ResolvedPolicy, shiftMs = 0): ClockEvent[] {
  const events: ClockEvent[] = [
    { type: "created", at: new Date(shape.createdAt - shiftMs), status: "open" },
    { type: "policy", at: new Date(shape.createdAt - shiftMs), policy },
    { type: "agent_reply", at: new Date(shape.repliedAt - shiftMs) },
  ];
  if (shape.statusChangedAt !== null) {
    events.push({ type: "status", at: new Date(shape.statusChangedAt - shiftMs), from: "open", to: "in_progress" });
  }
  return events;
}

export type ShapedTicket = { shape: TicketShape; clocks: ClockSnapshot[]; attempts: number };

function fitsWindow(clocks: ClockSnapshot[], anchor: number): boolean {
  const first = clocks.find((c) => c.metric === "first_response");
  const resolution = clocks.find((c) => c.metric === "resolution");
  const next = resolution?.nextCheckAt?.getTime();
  return (
    clocks.length === 2 &&
    first?.state === "met" &&
    resolution?.state === "running" &&
    next !== undefined &&
    next >= anchor + nextCheckWindow.minMs &&
    next <= anchor + nextCheckWindow.maxMs
  );
}

/**
 * Ticket g as stored at `anchor`: the shape and exactly the clocks computeClocks gives for its
 * events at that instant. A draw whose next check falls outside the window is redrawn.
 */
export function shapeTicket(g: number, anchor: number, policies: ReadonlyMap<BenchPriority, ResolvedPolicy>): ShapedTicket {
  const now = new Date(floorSecond(anchor));
  for (let attempt = 0; attempt < 20; attempt++) {
    const shape = draw(g, anchor, attempt);
    const clocks = computeClocks(clockEventsOf(shape, policyFor(policies, shape.priority)), now);
    if (fitsWindow(clocks, now.getTime())) return { shape, clocks, attempts: attempt + 1 };
  }
  const shape = draw(g, anchor, -1);
  const clocks = computeClocks(clockEventsOf(shape, policyFor(policies, shape.priority)), now);
  if (!fitsWindow(clocks, now.getTime())) throw new Error(`ticket ${g}: no shape puts the next check inside the window`);
  return { shape, clocks, attempts: 21 };
}

export function policyFor(policies: ReadonlyMap<BenchPriority, ResolvedPolicy>, priority: BenchPriority): ResolvedPolicy {
  const policy = policies.get(priority);
  if (!policy) throw new Error(`no SLA policy for priority ${priority}`);
  return policy;
}

export const benchPriorities: readonly BenchPriority[] = ["low", "medium", "high"];
