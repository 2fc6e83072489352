import { expect } from "vitest";
import { and, asc, eq, gt, max } from "drizzle-orm";
import { slaCalendars, slaClocks, ticketEvents, tickets } from "../../src/db/schema/index.js";
import { replayTicketClocks, syncTicketSla } from "../../src/commands/sla/syncTicketSla.js";
import type { ClockSnapshot } from "../../src/domain/sla/computeClocks.js";
import type { PolicyDefinition } from "../../src/domain/sla/policy.js";
import { call, json, type TestContext } from "./testApp.js";
import type { TestUser } from "./factories.js";

/*
 * Time control for SLA tests. Commands stamp their events with the wall clock, and clocks are
 * computed "as of now". A test makes time pass without waiting by moving the events one step
 * wrote (ids above a mark) to the instant that step is meant to have happened, then re-syncing
 * the ticket as of an explicit instant. Steps are stamped in increasing order, so the event log
 * stays ordered in time as well as by id, which is all the replay relies on.
 */

export const at = (iso: string) => new Date(iso);
export const addSeconds = (d: Date, s: number) => new Date(d.getTime() + s * 1000);

/** The ticket's highest event id so far: the mark `stampEvents` moves events after. */
export async function lastEventId(ctx: TestContext, ticketId: string): Promise<number> {
  const [row] = await ctx.db.select({ id: max(ticketEvents.id) }).from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId));
  return row?.id ?? 0;
}

/** Moves every event after `afterId` to `instant`; with afterId 0 the ticket's own created_at moves too. */
export async function stampEvents(ctx: TestContext, ticketId: string, afterId: number, instant: Date): Promise<void> {
  await ctx.db
    .update(ticketEvents)
    .set({ createdAt: instant })
    .where(and(eq(ticketEvents.ticketId, ticketId), gt(ticketEvents.id, afterId)));
  if (afterId === 0) await ctx.db.update(tickets).set({ createdAt: instant }).where(eq(tickets.id, ticketId));
}

/** Recomputes and stores a ticket's clocks as of `now`, with the row locked as commands do. */
export function resync(ctx: TestContext, ticketId: string, now: Date): Promise<ClockSnapshot[]> {
  return ctx.db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update");
    return syncTicketSla(tx, ticket!, null, "test", now);
  });
}

/**
 * Runs `step` (a command at wall-clock time), then pretends it ran at `instant`: its events are
 * moved there and the clocks recomputed as of that instant.
 */
export async function stepAt<T>(ctx: TestContext, ticketId: string, instant: Date, step: () => Promise<T>): Promise<T> {
  const mark = await lastEventId(ctx, ticketId);
  const result = await step();
  await stampEvents(ctx, ticketId, mark, instant);
  await resync(ctx, ticketId, instant);
  return result;
}

export type StoredClock = typeof slaClocks.$inferSelect;

/** The stored sla_clocks rows of a ticket, keyed by metric. */
export async function storedClocks(ctx: TestContext, ticketId: string): Promise<Record<string, StoredClock>> {
  const rows = await ctx.db.select().from(slaClocks).where(eq(slaClocks.ticketId, ticketId)).orderBy(asc(slaClocks.metric));
  return Object.fromEntries(rows.map((r) => [r.metric, r]));
}

export async function ticketRow(ctx: TestContext, ticketId: string) {
  const [row] = await ctx.db.select().from(tickets).where(eq(tickets.id, ticketId));
  return row!;
}

export async function eventsOf(ctx: TestContext, ticketId: string) {
  return ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(asc(ticketEvents.id));
}

/** Id of a stored calendar by name ("24/7" and "Business hours" exist by default). */
export async function calendarIdNamed(ctx: TestContext, name: string): Promise<string> {
  const [row] = await ctx.db.select({ id: slaCalendars.id }).from(slaCalendars).where(eq(slaCalendars.name, name));
  if (!row) throw new Error(`no calendar named ${name}`);
  return row.id;
}

export type PolicyInput = Omit<Partial<PolicyDefinition>, "targets"> & { name: string; targets: Record<string, unknown> };

/** Creates a policy through the API as `admin` and returns its id and first version. */
export async function createPolicy(ctx: TestContext, admin: TestUser, definition: PolicyInput): Promise<{ id: string; version: number }> {
  const res = await call(ctx, admin, "POST", "/api/v1/sla/policies", { position: 0, ...definition });
  if (res.statusCode !== 201) throw new Error(`policy ${definition.name}: ${res.statusCode} ${res.body}`);
  return json<{ id: string; version: number }>(res);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const fromRow = (r: StoredClock) => ({
  state: r.state,
  policyVersionId: r.policyVersionId,
  targetSeconds: r.targetSeconds,
  consumedSeconds: r.consumedSeconds,
  startedAt: iso(r.startedAt),
  dueAt: iso(r.dueAt),
  breachedAt: iso(r.breachedAt),
  metAt: iso(r.metAt),
  warnedAt: r.warnedAt,
  nextCheckAt: iso(r.nextCheckAt),
});
const fromReplay = (c: ClockSnapshot) => ({
  state: c.state,
  policyVersionId: c.policyVersionId,
  targetSeconds: c.targetSeconds,
  consumedSeconds: c.consumedSeconds,
  startedAt: iso(c.startedAt),
  dueAt: iso(c.dueAt),
  breachedAt: iso(c.breachedAt),
  metAt: iso(c.metAt),
  warnedAt: Object.fromEntries(Object.entries(c.warnedAt).map(([k, v]) => [k, v.toISOString()])),
  nextCheckAt: iso(c.nextCheckAt),
});

/** The stored rows equal a fresh replay as of `asOf` (default: the rows' own computed_at), field by field. */
export async function expectStoredEqualsReplay(ctx: TestContext, ticketId: string, label: string, asOf?: Date) {
  const rows = Object.values(await storedClocks(ctx, ticketId));
  const when = asOf ?? rows[0]?.computedAt ?? new Date();
  expect(new Set(rows.map((r) => r.computedAt.getTime())).size, label).toBeLessThanOrEqual(1);
  const { clocks } = await replayTicketClocks(ctx.db, ticketId, when);
  const stored = Object.fromEntries(rows.map((r) => [r.metric, fromRow(r)]));
  expect(stored, label).toEqual(Object.fromEntries(clocks.map((c) => [c.metric, fromReplay(c)])));
  const due = clocks.flatMap((c) => (c.dueAt && c.state !== "met" ? [c.dueAt.getTime()] : []));
  expect((await ticketRow(ctx, ticketId)).slaDueAt, label).toEqual(due.length ? new Date(Math.min(...due)) : null);
}

/** Deleting the stored clocks and syncing again gives back identical rows. */
export async function expectRebuildIdentical(ctx: TestContext, ticketId: string, now: Date) {
  const strip = (rows: Record<string, StoredClock>) => Object.values(rows).map(({ id: _id, ...rest }) => rest);
  const before = strip(await storedClocks(ctx, ticketId));
  await ctx.db.delete(slaClocks).where(eq(slaClocks.ticketId, ticketId));
  expect(await storedClocks(ctx, ticketId)).toEqual({});
  await resync(ctx, ticketId, now);
  expect(strip(await storedClocks(ctx, ticketId))).toEqual(before);
}
