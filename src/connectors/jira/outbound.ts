import type { Db } from "../../db/client.js";
import { findLink, updateLink, type ExternalLinkRow } from "../../db/repositories/externalLinks.js";
import { loadTicketForJira } from "../../db/repositories/ticketForJira.js";
import type { TicketPriority } from "../../domain/ticketPriority.js";
import type { TicketStatus } from "../../domain/ticketStatus.js";
import { systemActor } from "../../domain/systemActor.js";
import { noticeJiraFollowers } from "../../commands/jira/noticeJiraFollowers.js";
import type { Executor } from "../../db/client.js";
import { linksOfRemote } from "../../db/repositories/externalLinks.js";
import { recordTicketEvents } from "../../commands/tickets/recordTicketEvents.js";
import { JIRA_CHANNEL } from "./constants.js";
import { issueFieldsFor } from "./issueFields.js";
import { issueFacts, originOf, readSnapshot, storedSnapshot, type LinkSnapshot } from "./linkSnapshot.js";
import { customFieldToJira, diffAgainstSnapshot, jiraPriorityIdFor, jiraStatusTargetFor, localSyncValues, remoteSyncValues, type SyncValue } from "./mapping.js";
import { isPushable } from "./pushableFields.js";
import type { JiraRuntime } from "./runtime.js";
import { ticketTerms } from "./ticketTerms.js";
import { viewIssue } from "./types.js";

export type PushResult = { pushed: string[]; statusUnreachable: string | null };

/**
 * Writes a ticket's changes to its Jira issue, per the field ownership (DESIGN.md §7): the issue
 * is read, the three-way diff against the link's snapshot says which ticket-side changes Jira
 * has not seen, those are written (fields in one edit, status by a transition into the mapped
 * status or category), and the snapshot records what Jira will now hold, so the webhook our own
 * write triggers is recognised as an echo. Only the pushed fields of the snapshot move: whatever
 * Jira changed meanwhile is left for the inbound side to see.
 */
export async function pushTicketToIssue(db: Db, rt: JiraRuntime, linkId: string): Promise<PushResult> {
  const link = await findLink(db, linkId);
  if (!link) return { pushed: [], statusUnreachable: null };
  const loaded = await loadTicketForJira(db, link.ticketId);
  if (!loaded) return { pushed: [], statusUnreachable: null };
  const { mapping, client } = rt;
  const origin = originOf(link.snapshot);
  const prev = readSnapshot(link.snapshot);
  const issue = viewIssue(await client.getIssue(link.remoteId, { fields: issueFieldsFor(mapping) }));
  const local = localSyncValues(ticketTerms(loaded.ticket, loaded.assigneeEmail), mapping);
  const remote = remoteSyncValues(issue, mapping);
  const now = new Date();
  const plan = diffAgainstSnapshot({
    remote,
    remoteUpdatedAt: issue.updated,
    local,
    localUpdatedAt: loaded.ticket.updatedAt,
    snapshot: prev ? { remote: prev.remote, local: prev.local, syncedAt: prev.syncedAt } : { remote, local, syncedAt: now.toISOString() },
    mapping,
    deployment: rt.connection.deployment,
    now,
  });
  const pushes = Object.entries(plan.toJira).filter(([field]) => isPushable(field, origin));
  if (pushes.length === 0) return { pushed: [], statusUnreachable: null };

  const fields: Record<string, unknown> = {};
  let statusTarget: SyncValue | undefined;
  for (const [field, value] of pushes) {
    if (field === "summary" && typeof value === "string") fields.summary = value.replace(/\s+/g, " ").trim().slice(0, 255);
    else if (field === "description" && typeof value === "string") fields.description = client.markdownFor(value);
    else if (field === "priority" && typeof value === "string") fields.priority = { id: jiraPriorityIdFor(value as TicketPriority, mapping) };
    else if (field === "labels" && Array.isArray(value)) {
      // Our marker label stays, whatever the ticket's tags say: it is how a retried create finds the issue.
      fields.labels = [...new Set([...(value as string[]), ...issue.labels.filter((l) => l.startsWith(mapping.marker.labelPrefix))])];
    } else if (field === "status") statusTarget = value;
    else if (field.startsWith("custom.")) {
      const mapped = mapping.customFields.find((f) => `custom.${f.key}` === field);
      if (mapped) fields[mapped.jiraField] = customFieldToJira(mapped, value, rt.connection.deployment) ?? null;
    }
  }
  if (Object.keys(fields).length > 0) await client.editIssue(issue.id, fields);
  let statusUnreachable: string | null = null;
  if (typeof statusTarget === "string") {
    const target = jiraStatusTargetFor(statusTarget as TicketStatus, mapping);
    const moved = target ? await client.transitionTo(issue.id, target) : null;
    if (target && !moved) statusUnreachable = `Jira's workflow offers no transition from ${issue.status?.name ?? "its status"} to ${"statusId" in target ? `status ${target.statusId}` : `a ${target.categoryKey} status`}`;
  }

  // Read back, so the snapshot carries the issue's new `updated`: a read from before our write
  // (a webhook's or the reconcile poll's) is then known to be stale and cannot undo it.
  const after = issueFacts(viewIssue(await client.getIssue(issue.id, { fields: ["status", "priority", "updated"] })));

  await db.transaction(async (tx) => {
    const current = await findLink(tx, linkId, { forUpdate: true });
    if (!current) return;
    const base: LinkSnapshot = readSnapshot(current.snapshot) ?? { remote, local, syncedAt: now.toISOString(), issue: issueFacts(issue), origin };
    const before = base.issue;
    base.issue = { ...after, key: issue.key };
    // Our own change to the issue is still news to the people following its key.
    if (before && current.id === (await firstLinkOf(tx, current))) await noticeJiraFollowers(tx, { before, after: base.issue, url: current.remoteUrl });
    for (const [field] of pushes) {
      if (field === "status" && statusUnreachable) {
        // Not retried for ever: the ticket's status is taken as seen, and the history says why Jira did not follow.
        base.remote.status = remote.status ?? null;
        base.local.status = local.status ?? null;
        continue;
      }
      base.remote[field] = plan.nextSnapshot.remote[field] ?? null;
      base.local[field] = plan.nextSnapshot.local[field] ?? null;
    }
    base.syncedAt = now.toISOString();
    await updateLink(tx, linkId, { snapshot: storedSnapshot(base), lastSyncedAt: now, lastError: statusUnreachable });
    if (statusUnreachable) {
      await recordTicketEvents(tx, current.ticketId, systemActor, JIRA_CHANNEL, [{ type: "jira.status_not_pushed", field: "status", to: { key: issue.key, status: local.status, reason: statusUnreachable } }], now);
    }
  });
  return { pushed: pushes.map(([f]) => f), statusUnreachable };
}

/** Followers hear of an issue once, through its first link (the order every sync uses). */
async function firstLinkOf(tx: Executor, link: ExternalLinkRow): Promise<string | undefined> {
  return (await linksOfRemote(tx, link.connectionId, { id: link.remoteId }))[0]?.id;
}

export type { ExternalLinkRow };
