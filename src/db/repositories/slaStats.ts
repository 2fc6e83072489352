import { and, count, eq, gte, isNull, lt, sql } from "drizzle-orm";
import { slaClocks, teams, tickets } from "../schema/index.js";
import type { Executor } from "../client.js";

export type SlaStatsRow = { metric: string; group: string | null; total: number; metInTime: number; breached: number; pending: number; compliance: number | null };

/**
 * SLA compliance of tickets created in [from, to), per metric and per priority or team.
 * Compliance counts only decided clocks: met in time / (met in time + breached).
 */
export async function slaCompliance(db: Executor, from: Date, to: Date, groupBy: "priority" | "team"): Promise<SlaStatsRow[]> {
  const group = groupBy === "priority" ? sql<string>`${tickets.priority}::text` : sql<string | null>`${teams.name}`;
  const rows = await db
    .select({
      metric: slaClocks.metric,
      group,
      total: count(),
      metInTime: count(sql`case when ${slaClocks.metAt} is not null and ${slaClocks.breachedAt} is null then 1 end`),
      breached: count(sql`case when ${slaClocks.breachedAt} is not null then 1 end`),
    })
    .from(slaClocks)
    .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .where(and(gte(tickets.createdAt, from), lt(tickets.createdAt, to), isNull(tickets.mergedIntoId)))
    .groupBy(slaClocks.metric, group)
    .orderBy(slaClocks.metric, group);
  return rows.map((r) => {
    const decided = r.metInTime + r.breached;
    return { ...r, pending: r.total - decided, compliance: decided ? Math.round((r.metInTime / decided) * 1000) / 10 : null };
  });
}
