import { openStatuses } from "../lib/labels.ts";

/** The queue's view: every filter lives in the URL, so a view can be bookmarked, shared and gone back to. */
export const filterKeys = ["status", "priority", "assignee", "team", "category", "source", "tag", "period", "q", "sort"] as const;
export type FilterKey = (typeof filterKeys)[number];
export type QueueFilters = Record<FilterKey, string>;

/** `status` in the URL: absent means the open statuses (what an agent works), "all" means no filter. */
export const openPreset = "";
export const allStatuses = "all";
export const defaultSort = "sla_due";

export function readFilters(params: URLSearchParams): QueueFilters {
  const f = Object.fromEntries(filterKeys.map((k) => [k, params.get(k) ?? ""])) as QueueFilters;
  if (!f.sort) f.sort = defaultSort;
  return f;
}

/** The URL for a changed view; empty values and defaults are left out to keep it short. */
export function writeFilters(current: QueueFilters, change: Partial<QueueFilters>): URLSearchParams {
  const next = { ...current, ...change };
  const params = new URLSearchParams();
  for (const k of filterKeys) {
    const v = next[k];
    if (!v || (k === "sort" && v === defaultSort)) continue;
    params.set(k, v);
  }
  return params;
}

/** GET /tickets's query for a view. */
export function toApiQuery(f: QueueFilters): Record<string, string | undefined> {
  const status = f.status === openPreset ? openStatuses.join(",") : f.status === allStatuses ? undefined : f.status;
  return {
    status,
    priority: f.priority || undefined,
    assignee: f.assignee || undefined,
    team: f.team || undefined,
    category: f.category || undefined,
    source: f.source || undefined,
    tag: f.tag || undefined,
    period: f.period || undefined,
    q: f.q.trim() || undefined,
    sort: f.sort || defaultSort,
    limit: "50",
  };
}
