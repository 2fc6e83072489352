import { and, eq, getTableColumns, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { customerLinks, jiraIssues, jiraStatusPeriods, organizations } from "../schema/index.js";
import { byRemoteIdOrKey } from "./remoteRefs.js";
import type { IssueRecord } from "../../connectors/jira/customers/issueRecord.js";

export type JiraIssueRow = typeof jiraIssues.$inferSelect;

/** Strategies whose links a sync may remove again when the issue stops matching. */
export const searchStrategies = ["label", "custom_field", "component", "jql"] as const;

export async function findJiraIssue(db: Executor, connectionId: string, ref: { id?: string | null; key?: string | null }, options: { forUpdate?: boolean } = {}): Promise<JiraIssueRow | undefined> {
  const where = ref.id ? eq(jiraIssues.remoteId, ref.id) : ref.key ? eq(jiraIssues.remoteKey, ref.key.toUpperCase()) : undefined;
  if (!where) return undefined;
  const q = db.select().from(jiraIssues).where(and(eq(jiraIssues.connectionId, connectionId), where)).limit(1);
  const [row] = options.forUpdate ? await q.for("update") : await q;
  return row;
}

/** Of these issues (by id or key), the ones kept for customers: one query for a batch of events. */
export function trackedAmong(db: Executor, connectionId: string, ids: string[], keys: string[]) {
  const match = byRemoteIdOrKey({ id: jiraIssues.remoteId, key: jiraIssues.remoteKey }, ids, keys);
  if (!match) return Promise.resolve([]);
  return db.select({ remoteId: jiraIssues.remoteId, remoteKey: jiraIssues.remoteKey }).from(jiraIssues).where(and(eq(jiraIssues.connectionId, connectionId), match));
}

/**
 * Stores what Jira says about an issue now, and keeps its status history: a new status closes the
 * open period and starts another at the issue's `updated` (when the transition happened, as near
 * as the issue tells). An issue first seen starts its period when its status category last
 * changed, the closest Jira gives without a changelog call. A read older than the stored one is
 * ignored, so an out-of-order delivery cannot move the status back.
 */
export async function upsertJiraIssue(tx: Executor, connectionId: string, rec: IssueRecord, now: Date): Promise<{ before: JiraIssueRow | null; after: JiraIssueRow }> {
  const before = (await findJiraIssue(tx, connectionId, { id: rec.remoteId }, { forUpdate: true })) ?? null;
  const fields = {
    remoteKey: rec.remoteKey,
    projectKey: rec.projectKey,
    summary: rec.summary,
    issueType: rec.issueType,
    statusId: rec.statusId,
    statusName: rec.statusName,
    statusCategory: rec.statusCategory,
    priority: rec.priority,
    assignee: rec.assignee,
    reporter: rec.reporter,
    labels: rec.labels,
    components: rec.components,
    customFields: rec.customFields,
    remoteCreatedAt: rec.remoteCreatedAt,
    remoteUpdatedAt: rec.remoteUpdatedAt,
    resolvedAt: rec.resolvedAt,
    deletedAt: null,
    syncedAt: now,
  };
  if (!before) {
    const since = rec.statusCategoryChangedAt ?? rec.remoteUpdatedAt ?? now;
    const [after] = await tx
      .insert(jiraIssues)
      .values({ connectionId, remoteId: rec.remoteId, ...fields, statusSince: since })
      .returning();
    if (rec.statusName || rec.statusId) {
      await tx.insert(jiraStatusPeriods).values({ issueId: after!.id, statusId: rec.statusId, statusName: rec.statusName ?? rec.statusId ?? "", statusCategory: rec.statusCategory, enteredAt: since });
    }
    return { before: null, after: after! };
  }
  if (before.remoteUpdatedAt && rec.remoteUpdatedAt && rec.remoteUpdatedAt < before.remoteUpdatedAt) {
    return { before, after: before };
  }
  const moved = before.statusId !== rec.statusId;
  const at = rec.remoteUpdatedAt && rec.remoteUpdatedAt <= now ? rec.remoteUpdatedAt : now;
  if (moved) {
    await tx
      .update(jiraStatusPeriods)
      .set({ leftAt: at })
      .where(and(eq(jiraStatusPeriods.issueId, before.id), isNull(jiraStatusPeriods.leftAt)));
    await tx.insert(jiraStatusPeriods).values({ issueId: before.id, statusId: rec.statusId, statusName: rec.statusName ?? rec.statusId ?? "", statusCategory: rec.statusCategory, enteredAt: at });
  }
  const [after] = await tx
    .update(jiraIssues)
    .set({ ...fields, ...(moved ? { statusSince: at, statusAlertedAt: null } : {}) })
    .where(eq(jiraIssues.id, before.id))
    .returning();
  return { before, after: after! };
}

export async function markJiraIssueDeleted(db: Executor, connectionId: string, ref: { id?: string | null; key?: string | null }, at: Date): Promise<boolean> {
  const row = await findJiraIssue(db, connectionId, ref);
  if (!row || row.deletedAt) return false;
  await db.update(jiraIssues).set({ deletedAt: at }).where(eq(jiraIssues.id, row.id));
  return true;
}

/**
 * Links an organization to an issue. An existing link keeps its type and strategy (a person may
 * have set them) unless `overwrite`, when a person sets them now. True when the link is new.
 */
export async function linkCustomer(
  tx: Executor,
  link: { connectionId: string; organizationId: string; remoteId: string; remoteKey: string; linkType: string; strategy: string },
  options: { overwrite?: boolean } = {},
): Promise<{ isNew: boolean; row: typeof customerLinks.$inferSelect }> {
  const [row] = await tx
    .insert(customerLinks)
    .values(link)
    .onConflictDoUpdate({
      target: [customerLinks.connectionId, customerLinks.remoteId, customerLinks.organizationId],
      set: options.overwrite ? { remoteKey: link.remoteKey, linkType: link.linkType, strategy: link.strategy } : { remoteKey: link.remoteKey },
    })
    // xmax is 0 only on a row this statement inserted.
    .returning({ ...getTableColumns(customerLinks), isNew: sql<boolean>`(xmax = 0)` });
  const { isNew, ...saved } = row!;
  return { isNew, row: saved };
}

/** Removes an organization's search-found links to issues the search no longer returns. */
export async function pruneOrganizationLinks(tx: Executor, connectionId: string, organizationId: string, keepRemoteIds: string[]): Promise<number> {
  const removed = await tx
    .delete(customerLinks)
    .where(
      and(
        eq(customerLinks.connectionId, connectionId),
        eq(customerLinks.organizationId, organizationId),
        inArray(customerLinks.strategy, [...searchStrategies]),
        ...(keepRemoteIds.length > 0 ? [notInArray(customerLinks.remoteId, keepRemoteIds)] : []),
      ),
    )
    .returning({ id: customerLinks.id });
  return removed.length;
}

/** Removes an issue's field-matched links to organizations it no longer matches (say, a label was taken off). */
export async function pruneIssueLinks(tx: Executor, connectionId: string, remoteId: string, keepOrganizationIds: string[], strategies: readonly string[]): Promise<number> {
  const removed = await tx
    .delete(customerLinks)
    .where(
      and(
        eq(customerLinks.connectionId, connectionId),
        eq(customerLinks.remoteId, remoteId),
        inArray(customerLinks.strategy, [...strategies]),
        ...(keepOrganizationIds.length > 0 ? [notInArray(customerLinks.organizationId, keepOrganizationIds)] : []),
      ),
    )
    .returning({ id: customerLinks.id });
  return removed.length;
}

/** The organizations linked to an issue and their CSMs. */
export function linkedOrganizations(db: Executor, connectionId: string, remoteId: string) {
  return db
    .select({ organizationId: customerLinks.organizationId, ownerId: organizations.ownerId, linkType: customerLinks.linkType })
    .from(customerLinks)
    .innerJoin(organizations, eq(organizations.id, customerLinks.organizationId))
    .where(and(eq(customerLinks.connectionId, connectionId), eq(customerLinks.remoteId, remoteId)));
}
