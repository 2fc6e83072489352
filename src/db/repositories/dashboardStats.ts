import { and, asc, count, eq, gte, inArray, isNotNull, isNull, lt, notInArray, sql, type SQL } from "drizzle-orm";
import { ticketEvents, tickets, users } from "../schema/index.js";
import type { Executor } from "../client.js";
import { ticketPriorities, type TicketPriority } from "../../domain/ticketPriority.js";

export type DayCount = { day: string; created: number; resolved: number };
export type Bucket = { label: string; count: number };
export type DurationStats = { count: number; medianMinutes: number | null; p90Minutes: number | null; buckets: Bucket[] };
export type AgentLoad = { agentId: string; name: string; open: number; inProgress: number; waitingOnCustomer: number; resolvedInRange: number };

/**
 * Histogram edges in minutes, shared by first response and resolution so the two charts read
 * alike. Each bucket holds durations in [previous edge, maxMinutes).
 */
export const durationBuckets: readonly { label: string; maxMinutes: number }[] = [
  { label: "< 15 min", maxMinutes: 15 },
  { label: "15–60 min", maxMinutes: 60 },
  { label: "1–4 h", maxMinutes: 240 },
  { label: "4–24 h", maxMinutes: 1440 },
  { label: "1–3 days", maxMinutes: 4320 },
  { label: "3–7 days", maxMinutes: 10080 },
  { label: "7 days or more", maxMinutes: Number.POSITIVE_INFINITY },
];

const utcDay = (column: SQL | typeof tickets.createdAt) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD')`;
const roundTenth = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/**
 * Each ticket's first move into resolved or closed that happened before `to`, kept only when it
 * happened at or after `from`. Reopening and resolving again does not move it. Merged tickets
 * are left out: the merge closes them, which is not a resolution.
 */
function firstResolutions(db: Executor, from: Date, to: Date) {
  return db.$with("first_resolution").as(
    db
      .select({ ticketId: ticketEvents.ticketId, at: sql<Date>`min(${ticketEvents.createdAt})`.as("at") })
      .from(ticketEvents)
      .innerJoin(tickets, eq(tickets.id, ticketEvents.ticketId))
      .where(
        and(
          eq(ticketEvents.field, "status"),
          sql`${ticketEvents.toValue} in ('"resolved"'::jsonb, '"closed"'::jsonb)`,
          lt(ticketEvents.createdAt, to),
          isNull(tickets.mergedIntoId),
        ),
      )
      .groupBy(ticketEvents.ticketId)
      .having(sql`min(${ticketEvents.createdAt}) >= ${from.toISOString()}::timestamptz`),
  );
}

/** The UTC calendar days touched by [from, to), oldest first. */
export function daysOf(from: Date, to: Date): string[] {
  const days: string[] = [];
  const last = new Date(to.getTime() - 1).toISOString().slice(0, 10);
  for (let d = new Date(`${from.toISOString().slice(0, 10)}T00:00:00Z`); ; d = new Date(d.getTime() + 86_400_000)) {
    const day = d.toISOString().slice(0, 10);
    days.push(day);
    if (day >= last) return days;
  }
}

/** Tickets created, and tickets first resolved, per UTC day of [from, to); days without any are zeros. */
export async function ticketsPerDay(db: Executor, from: Date, to: Date): Promise<DayCount[]> {
  const createdDay = utcDay(tickets.createdAt);
  const created = await db
    .select({ day: createdDay, n: count() })
    .from(tickets)
    .where(and(gte(tickets.createdAt, from), lt(tickets.createdAt, to), isNull(tickets.mergedIntoId)))
    .groupBy(createdDay);
  const resolutions = firstResolutions(db, from, to);
  const resolvedDay = utcDay(sql`${resolutions.at}`);
  const resolved = await db.with(resolutions).select({ day: resolvedDay, n: count() }).from(resolutions).groupBy(resolvedDay);
  const createdBy = new Map(created.map((r) => [r.day, r.n]));
  const resolvedBy = new Map(resolved.map((r) => [r.day, r.n]));
  return daysOf(from, to).map((day) => ({ day, created: createdBy.get(day) ?? 0, resolved: resolvedBy.get(day) ?? 0 }));
}

/** Tickets not resolved or closed, now, per priority (every priority listed). */
export async function backlogByPriority(db: Executor): Promise<{ priority: TicketPriority; open: number }[]> {
  const rows = await db
    .select({ priority: tickets.priority, open: count() })
    .from(tickets)
    .where(notInArray(tickets.status, ["resolved", "closed"]))
    .groupBy(tickets.priority);
  const by = new Map(rows.map((r) => [r.priority, r.open]));
  return ticketPriorities.map((priority) => ({ priority, open: by.get(priority) ?? 0 }));
}

/** Count, median, 90th percentile and histogram of durations in minutes, in one aggregate row. */
async function summarize(query: (columns: Record<string, SQL>) => Promise<Record<string, unknown>[]>, minutes: SQL): Promise<DurationStats> {
  const columns: Record<string, SQL> = {
    count: sql`count(*)::int`,
    median: sql`percentile_cont(0.5) within group (order by ${minutes})`,
    p90: sql`percentile_cont(0.9) within group (order by ${minutes})`,
  };
  let lower = 0;
  durationBuckets.forEach((b, i) => {
    const upper = Number.isFinite(b.maxMinutes) ? sql` and ${minutes} < ${b.maxMinutes}` : sql``;
    columns[`b${i}`] = sql`(count(*) filter (where ${minutes} >= ${lower}${upper}))::int`;
    lower = b.maxMinutes;
  });
  const [row = {}] = await query(columns);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    count: num(row.count) ?? 0,
    medianMinutes: roundTenth(num(row.median)),
    p90Minutes: roundTenth(num(row.p90)),
    buckets: durationBuckets.map((b, i) => ({ label: b.label, count: num(row[`b${i}`]) ?? 0 })),
  };
}

/** Minutes from creation to the first public staff reply, for first replies sent in [from, to). */
export function firstResponseStats(db: Executor, from: Date, to: Date): Promise<DurationStats> {
  const minutes = sql`(extract(epoch from (${tickets.firstRespondedAt} - ${tickets.createdAt})) / 60)`;
  return summarize(
    (columns) =>
      db
        .select(columns)
        .from(tickets)
        .where(and(isNotNull(tickets.firstRespondedAt), gte(tickets.firstRespondedAt, from), lt(tickets.firstRespondedAt, to), isNull(tickets.mergedIntoId))),
    minutes,
  );
}

/** Minutes from creation to the first resolution, for first resolutions in [from, to). */
export function resolutionStats(db: Executor, from: Date, to: Date): Promise<DurationStats> {
  const resolutions = firstResolutions(db, from, to);
  const minutes = sql`(extract(epoch from (${resolutions.at} - ${tickets.createdAt})) / 60)`;
  return summarize(
    (columns) => db.with(resolutions).select(columns).from(resolutions).innerJoin(tickets, eq(tickets.id, resolutions.ticketId)),
    minutes,
  );
}

/**
 * Every active agent and admin with the tickets assigned to them now, by status, and how many of
 * the tickets first resolved in [from, to) are assigned to them.
 */
export async function agentLoad(db: Executor, from: Date, to: Date): Promise<AgentLoad[]> {
  const byStatus = (status: string) => sql<number>`(count(${tickets.id}) filter (where ${tickets.status} = ${status}))::int`.mapWith(Number);
  const staff = await db
    .select({
      agentId: users.id,
      name: users.name,
      open: byStatus("open"),
      inProgress: byStatus("in_progress"),
      waitingOnCustomer: byStatus("waiting_on_customer"),
    })
    .from(users)
    .leftJoin(tickets, and(eq(tickets.assigneeId, users.id), inArray(tickets.status, ["open", "in_progress", "waiting_on_customer"])))
    .where(and(inArray(users.role, ["agent", "admin"]), eq(users.isActive, true)))
    .groupBy(users.id, users.name)
    .orderBy(asc(users.name), asc(users.id));
  const resolutions = firstResolutions(db, from, to);
  const resolved = await db
    .with(resolutions)
    .select({ agentId: tickets.assigneeId, n: count() })
    .from(resolutions)
    .innerJoin(tickets, eq(tickets.id, resolutions.ticketId))
    .where(isNotNull(tickets.assigneeId))
    .groupBy(tickets.assigneeId);
  const resolvedBy = new Map(resolved.map((r) => [r.agentId, r.n]));
  return staff.map((s) => ({ ...s, resolvedInRange: resolvedBy.get(s.agentId) ?? 0 }));
}
