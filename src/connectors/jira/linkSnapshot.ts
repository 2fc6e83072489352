import { z } from "zod";
import type { SyncValues } from "./mapping.js";
import type { JiraIssueView } from "./types.js";

/** The Jira facts notifications and stale-payload checks need, in Jira's own terms. */
export type IssueFacts = {
  key: string;
  statusId: string | null;
  statusName: string | null;
  categoryKey: string | null;
  priorityId: string | null;
  priorityName: string | null;
  /** Jira's `updated`, ISO: an issue read earlier than this is stale. */
  updated: string | null;
};

/**
 * What `external_links.snapshot` holds: the mapping's three-way-diff snapshot (both sides in
 * their own terms, mapping.ts), the raw Jira facts, and how the link came to be. A link made by
 * linking someone else's issue (`linked`) never pushes the ticket's summary, description, labels
 * or custom fields onto it: many tickets may share that issue.
 */
export type LinkSnapshot = { remote: SyncValues; local: SyncValues; syncedAt: string; issue: IssueFacts | null; origin: "escalated" | "linked" };

const ZSnapshot = z
  .object({
    remote: z.record(z.string(), z.unknown()),
    local: z.record(z.string(), z.unknown()),
    syncedAt: z.string(),
    issue: z
      .object({ key: z.string(), statusId: z.string().nullable(), statusName: z.string().nullable(), categoryKey: z.string().nullable(), priorityId: z.string().nullable(), priorityName: z.string().nullable(), updated: z.string().nullable() })
      .nullable()
      .default(null),
    origin: z.enum(["escalated", "linked"]).default("linked"),
  })
  .loose();

export function readSnapshot(value: unknown): LinkSnapshot | null {
  const parsed = ZSnapshot.safeParse(value);
  return parsed.success ? (parsed.data as LinkSnapshot) : null;
}

export function originOf(value: unknown): LinkSnapshot["origin"] {
  const origin = (value as { origin?: unknown } | null)?.origin;
  return origin === "escalated" ? "escalated" : "linked";
}

export function issueFacts(issue: JiraIssueView): IssueFacts {
  return {
    key: issue.key,
    statusId: issue.status?.id ?? null,
    statusName: issue.status?.name ?? null,
    categoryKey: issue.status?.categoryKey ?? null,
    priorityId: issue.priority?.id ?? null,
    priorityName: issue.priority?.name ?? null,
    updated: issue.updated?.toISOString() ?? null,
  };
}

/** The snapshot as stored (jsonb). */
export const storedSnapshot = (s: LinkSnapshot): Record<string, unknown> => JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
