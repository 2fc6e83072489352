import type { SlaStats, StatsOverview } from "../../../src/presenters/presentStats.js";
import { api, queryString } from "./client.ts";

export type { SlaStats, StatsOverview };
export type DurationStats = StatsOverview["firstResponse"];

/** A dashboard range: [from, to) as ISO instants. */
export type StatsRange = { from: string; to: string };

const dayMs = 86_400_000;

/**
 * The last `days` UTC calendar days, today included: from the start of the first to the start
 * of tomorrow. Whole days keep the query key the same all day, so the cache works.
 */
export function lastDays(days: number, now = new Date()): StatsRange {
  const tomorrow = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return { from: new Date(tomorrow - days * dayMs).toISOString(), to: new Date(tomorrow).toISOString() };
}

export const statsKeys = {
  overview: (range: StatsRange) => ["stats", "overview", range.from, range.to] as const,
  sla: (range: StatsRange) => ["stats", "sla", range.from, range.to] as const,
};

export const getStatsOverview = (range: StatsRange, signal?: AbortSignal) => api<StatsOverview>(`/stats/overview${queryString(range)}`, { signal });

export const getSlaStats = (range: StatsRange, signal?: AbortSignal) =>
  api<SlaStats>(`/stats/sla${queryString({ ...range, groupBy: "priority" })}`, { signal });
