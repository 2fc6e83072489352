import type { Executor } from "../../db/client.js";
import { linkedOrganizations, type JiraIssueRow } from "../../db/repositories/jiraIssues.js";
import type { CustomerLinkSettings } from "../../connectors/jira/customers/customerSettings.js";
import { notifyPeople } from "../notifications/notifyPeople.js";
import { noticeJiraFollowers } from "./noticeJiraFollowers.js";

export type CustomerIssueChange = "resolved" | "priority_changed" | "moved_to_development";

/** What changed that a CSM hears about (the CSM requirements' FR-5). */
export function customerIssueChanges(before: JiraIssueRow, after: JiraIssueRow, settings: CustomerLinkSettings): CustomerIssueChange[] {
  const changes: CustomerIssueChange[] = [];
  const moved = before.statusId !== after.statusId;
  if (moved && after.statusCategory === "done" && before.statusCategory !== "done") changes.push("resolved");
  const isDevelopment = (row: JiraIssueRow) =>
    settings.developmentStatusIds.length > 0 ? settings.developmentStatusIds.includes(row.statusId ?? "") : row.statusCategory === "indeterminate";
  if (moved && isDevelopment(after) && !isDevelopment(before)) changes.push("moved_to_development");
  if (before.priority !== after.priority && before.priority !== null) changes.push("priority_changed");
  return changes;
}

const phrase: Record<CustomerIssueChange, (row: JiraIssueRow, before: JiraIssueRow) => string> = {
  resolved: (row) => `is resolved (${row.statusName ?? "done"})`,
  moved_to_development: (row) => `moved to development (${row.statusName ?? row.statusId})`,
  priority_changed: (row, before) => `priority changed from ${before.priority} to ${row.priority ?? "none"}`,
};

/**
 * Tells the CSMs (organization owners) of every organization linked to the issue, and, when no
 * ticket is linked to it (the ticket sync tells them then), the people who follow its key. Inside
 * the caller's transaction, with the row that was stored before, so a repeated sync that finds
 * nothing new tells nobody twice.
 */
export async function noticeCustomerIssueChange(
  tx: Executor,
  input: { connectionId: string; before: JiraIssueRow; after: JiraIssueRow; settings: CustomerLinkSettings; url: string; hasTicketLinks: boolean; now: Date },
): Promise<CustomerIssueChange[]> {
  const { before, after } = input;
  const changes = customerIssueChanges(before, after, input.settings);
  if (changes.length === 0) return changes;
  const orgs = await linkedOrganizations(tx, input.connectionId, after.remoteId);
  const owners = orgs.flatMap((o) => (o.ownerId ? [o.ownerId] : []));
  const kind = changes.includes("resolved") ? "jira.customer_issue_resolved" : changes.includes("moved_to_development") ? "jira.customer_issue_in_development" : "jira.customer_issue_priority";
  await notifyPeople(tx, owners, {
    kind,
    ticketId: null,
    title: `${after.remoteKey} ${changes.map((c) => phrase[c](after, before)).join(", ")}`,
    data: { key: after.remoteKey, url: input.url, summary: after.summary, changes, status: after.statusName, priority: after.priority, organizationIds: orgs.map((o) => o.organizationId) },
    deliverAfter: input.now,
  });
  if (!input.hasTicketLinks) {
    const facts = (row: JiraIssueRow) => ({ key: row.remoteKey, statusId: row.statusId, statusName: row.statusName, categoryKey: row.statusCategory, priorityId: row.priority, priorityName: row.priority, updated: null });
    await noticeJiraFollowers(tx, { before: facts(before), after: facts(after), url: input.url });
  }
  return changes;
}
