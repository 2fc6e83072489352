import type { LinkSnapshot } from "./linkSnapshot.js";

/** Fields that describe the issue itself: only the ticket that created it may rewrite them. */
const describing = new Set(["summary", "description", "labels"]);

/**
 * Whether a ticket's change to `field` may be written to its Jira issue. An issue someone else
 * owns (linked rather than escalated, possibly shared by many tickets) takes only status and
 * priority changes, never one ticket's summary, description, labels or custom fields.
 */
export function isPushable(field: string, origin: LinkSnapshot["origin"]): boolean {
  if (field === "assignee") return false;
  if (origin === "linked") return field === "status" || field === "priority";
  return describing.has(field) || field === "status" || field === "priority" || field.startsWith("custom.");
}
