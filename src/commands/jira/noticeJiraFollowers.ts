import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { subscriptions, users } from "../../db/schema/index.js";
import { JIRA_SYSTEM } from "../../connectors/jira/constants.js";
import type { IssueFacts } from "../../connectors/jira/linkSnapshot.js";
import { notifyPeople } from "../notifications/notifyPeople.js";

/**
 * Tells the people who follow a Jira key ("alert me when CS-123 is resolved") what the sync just
 * saw change: `resolved` followers only when the issue reaches the done category, `updates`
 * followers of every status and priority change. Inside the sync's transaction, so a retried
 * sync that finds nothing new tells nobody twice.
 */
export async function noticeJiraFollowers(tx: Executor, input: { before: IssueFacts; after: IssueFacts; url: string | null }): Promise<void> {
  const { before, after } = input;
  const statusChanged = before.statusId !== after.statusId;
  const priorityChanged = before.priorityId !== after.priorityId;
  if (!statusChanged && !priorityChanged) return;
  const isResolution = statusChanged && after.categoryKey === "done" && before.categoryKey !== "done";
  const keys = [...new Set([after.key, before.key].map((k) => k.toUpperCase()))];
  const followers = await tx
    .select({ userId: users.id, notifyOn: subscriptions.notifyOn })
    .from(subscriptions)
    .innerJoin(users, eq(users.id, subscriptions.userId))
    .where(and(eq(subscriptions.externalSystem, JIRA_SYSTEM), inArray(subscriptions.externalKey, keys), eq(users.isActive, true)));
  const told = followers.filter((f) => f.notifyOn === "updates" || isResolution).map((f) => f.userId);
  if (told.length === 0) return;
  const parts = [
    ...(statusChanged ? [isResolution ? `is resolved (${after.statusName ?? "done"})` : `is now ${after.statusName ?? after.statusId}`] : []),
    ...(priorityChanged ? [`priority is now ${after.priorityName ?? after.priorityId}`] : []),
  ];
  await notifyPeople(tx, told, {
    kind: isResolution ? "jira.issue_resolved" : "jira.issue_updated",
    ticketId: null,
    title: `${after.key} ${parts.join(", ")}`,
    data: { key: after.key, url: input.url, status: after.statusName, statusCategory: after.categoryKey, priority: after.priorityName, from: { status: before.statusName, priority: before.priorityName } },
    deliverAfter: new Date(),
  });
}
