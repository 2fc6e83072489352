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

/**
 * A saved view's filters: GET /tickets's query for the view, without the page size, so applying
 * a view later gives the same list (and an export gives the same rows).
 */
export function toViewFilters(f: QueueFilters): Record<string, string> {
  const { limit: _limit, ...query } = toApiQuery(f);
  return Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The view in the URL for a saved view's filters (the reverse of toViewFilters). */
export function fromViewFilters(saved: Readonly<Record<string, string>>): QueueFilters {
  const params = new URLSearchParams();
  for (const k of filterKeys) {
    const v = saved[k];
    if (v) params.set(k, v);
  }
  const status = saved.status ?? "";
  const isOpenPreset = status !== "" && [...new Set(status.split(","))].sort().join(",") === [...openStatuses].sort().join(",");
  if (status === "") params.set("status", allStatuses);
  else if (isOpenPreset) params.delete("status");
  return readFilters(params);
}
