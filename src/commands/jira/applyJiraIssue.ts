import type { Tx } from "../../db/client.js";
import { findLink, updateLink } from "../../db/repositories/externalLinks.js";
import type { TicketRow } from "../../db/repositories/findTicket.js";
import { staffByEmail } from "../../db/repositories/staffByEmail.js";
import type { TicketEventInput } from "../../db/repositories/ticketEvents.js";
import { loadTicketForJira } from "../../db/repositories/ticketForJira.js";
import type { TicketPriority } from "../../domain/ticketPriority.js";
import type { TicketStatus } from "../../domain/ticketStatus.js";
import { systemActor } from "../../domain/systemActor.js";
import { AppError } from "../../errors.js";
import type { TicketChangeRequest } from "../../policies/ticketPolicy.js";
import type { JiraDeployment } from "../../connectors/jira/config.js";
import { JIRA_CHANNEL } from "../../connectors/jira/constants.js";
import { browseUrl } from "../../connectors/jira/issueFields.js";
import { issueFacts, originOf, readSnapshot, storedSnapshot, type LinkSnapshot } from "../../connectors/jira/linkSnapshot.js";
import { diffAgainstSnapshot, localSyncValues, mappedFields, remoteSyncValues, type JiraMapping, type SyncValues } from "../../connectors/jira/mapping.js";
import { isPushable } from "../../connectors/jira/pushableFields.js";
import { ticketTerms } from "../../connectors/jira/ticketTerms.js";
import type { JiraComment, JiraIssueView } from "../../connectors/jira/types.js";
import { recipients, notifyPeople } from "../notifications/notifyPeople.js";
import { applyTicketChanges } from "../tickets/applyTicketChanges.js";
import { recordTicketEvents } from "../tickets/recordTicketEvents.js";
import { importJiraComments } from "./importJiraComments.js";
import { noticeJiraFollowers } from "./noticeJiraFollowers.js";

export type ApplyJiraIssueInput = {
  connectionId: string;
  linkId: string;
  mapping: JiraMapping;
  deployment: JiraDeployment;
  baseUrl: string;
  /** The issue as Jira holds it now (fetched, never taken from a webhook body). */
  issue: JiraIssueView;
  /** Every comment of the issue, or null when they were not fetched. */
  comments: JiraComment[] | null;
  /** Fire the Jira-key subscriptions: true for the first link of an issue only, so followers hear once. */
  noticeFollowers: boolean;
  now: Date;
};

export type ApplyJiraIssueResult = { applied: string[]; skipped: "stale" | "gone" | null; wantsPush: boolean };

/** Runs a change in a savepoint, so a refused one leaves the rest of the sync standing. */
async function attempt(tx: Tx, fn: (sp: Tx) => Promise<TicketRow>): Promise<{ ticket: TicketRow } | { refused: AppError }> {
  try {
    return { ticket: await tx.transaction((sp) => fn(sp)) };
  } catch (e) {
    if (e instanceof AppError) return { refused: e };
    throw e;
  }
}

/**
 * Applies a Jira issue to one linked ticket, inside the caller's transaction, with the ticket and
 * the link locked (ticket first, the order every writer uses). The three-way diff against the
 * link's snapshot (mapping.ts) decides what flows: Jira-owned fields Jira changed come to the
 * ticket through applyTicketChanges, so the state machine, SLA and notifications apply; a change
 * the ticket refuses (say, resolving a closed ticket) is left as a history note and the snapshot
 * still moves on, so it is not retried forever. Fields the ticket should push stay as they were
 * in the snapshot for the outbound job. An issue older than the snapshot (a stale read) changes
 * no field. Comments are brought in line with the issue's list (importJiraComments).
 */
export async function applyJiraIssue(tx: Tx, input: ApplyJiraIssueInput): Promise<ApplyJiraIssueResult> {
  const { mapping, issue, now } = input;
  const pre = await findLink(tx, input.linkId);
  if (!pre) return { applied: [], skipped: "gone", wantsPush: false };
  const loaded = await loadTicketForJira(tx, pre.ticketId, { forUpdate: true });
  const link = await findLink(tx, input.linkId, { forUpdate: true });
  if (!loaded || !link) return { applied: [], skipped: "gone", wantsPush: false };
  let ticket = loaded.ticket;
  let assigneeEmail = loaded.assigneeEmail;
  const prev = readSnapshot(link.snapshot);
  const origin = originOf(link.snapshot);
  const facts = issueFacts(issue);
  const isStale = !!(prev?.issue?.updated && issue.updated && issue.updated.getTime() < Date.parse(prev.issue.updated));
  const applied: string[] = [];
  let wantsPush = false;
  let next: LinkSnapshot | null = prev;

  if (!isStale) {
    const local = localSyncValues(ticketTerms(ticket, assigneeEmail), mapping);
    const remote = remoteSyncValues(issue, mapping);
    const plan = diffAgainstSnapshot({
      remote,
      remoteUpdatedAt: issue.updated,
      local,
      localUpdatedAt: ticket.updatedAt,
      // Without a snapshot both sides are taken as agreeing: linking is not a reason to overwrite either.
      snapshot: prev ? { remote: prev.remote, local: prev.local, syncedAt: prev.syncedAt } : { remote, local, syncedAt: now.toISOString() },
      mapping,
      deployment: input.deployment,
      now,
    });
    const notes: TicketEventInput[] = [];

    const change: TicketChangeRequest = {};
    const customFields: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(plan.toTicket)) {
      if (field === "priority" && typeof value === "string") change.priority = value as TicketPriority;
      else if (field === "summary" && typeof value === "string" && value.trim() !== "") change.subject = value.trim().slice(0, 200);
      else if (field === "assignee" && typeof value === "string") {
        const person = await staffByEmail(tx, value);
        if (person) change.assigneeId = person.id;
        else notes.push({ type: "jira.change_not_applied", field: "assignee", to: { key: issue.key, value, reason: "no active agent has this Jira user's email" } });
      } else if (field.startsWith("custom.")) {
        const mapped = mapping.customFields.find((f) => `custom.${f.key}` === field);
        if (!mapped) continue;
        if (mapped.source === "category") {
          if (typeof value === "string" && value !== "") change.category = value;
        } else customFields[mapped.source.slice("customFields.".length)] = value;
      }
    }
    if (Object.keys(customFields).length > 0) change.customFields = customFields;
    if (Object.keys(change).length > 0) {
      const result = await attempt(tx, (sp) => applyTicketChanges(sp, systemActor, ticket, change, JIRA_CHANNEL));
      if ("ticket" in result) {
        ticket = result.ticket;
        applied.push(...Object.keys(change));
      } else notes.push({ type: "jira.change_not_applied", to: { key: issue.key, fields: Object.keys(change), reason: result.refused.message } });
    }
    const status = plan.toTicket.status;
    if (typeof status === "string" && status !== ticket.status) {
      const result = await attempt(tx, (sp) => applyTicketChanges(sp, systemActor, ticket, { status: status as TicketStatus }, JIRA_CHANNEL));
      if ("ticket" in result) {
        ticket = result.ticket;
        applied.push("status");
      } else {
        notes.push({ type: "jira.status_not_applied", field: "status", from: ticket.status, to: { key: issue.key, wanted: status, jiraStatus: issue.status?.name ?? null, reason: result.refused.message } });
      }
    }
    if (notes.length > 0) await recordTicketEvents(tx, ticket.id, systemActor, JIRA_CHANNEL, notes, now);
    if (applied.includes("assigneeId")) assigneeEmail = (await loadTicketForJira(tx, ticket.id))?.assigneeEmail ?? null;

    // Each side in its own terms again, now that the ticket may have moved.
    const after = localSyncValues(ticketTerms(ticket, assigneeEmail), mapping);
    const nextRemote: SyncValues = {};
    const nextLocal: SyncValues = {};
    for (const field of mappedFields(mapping)) {
      if (field in plan.toJira && isPushable(field, origin) && prev) {
        // Left for the outbound job, which compares against these.
        nextRemote[field] = prev.remote[field] ?? null;
        nextLocal[field] = prev.local[field] ?? null;
        wantsPush = true;
      } else if (field in plan.toTicket || field in plan.toJira) {
        nextRemote[field] = remote[field] ?? null;
        nextLocal[field] = after[field] ?? null;
      } else {
        nextRemote[field] = plan.nextSnapshot.remote[field] ?? null;
        nextLocal[field] = plan.nextSnapshot.local[field] ?? null;
      }
    }
    next = { remote: nextRemote, local: nextLocal, syncedAt: now.toISOString(), issue: facts, origin };

    if (prev?.issue) {
      if (input.noticeFollowers) await noticeJiraFollowers(tx, { before: prev.issue, after: facts, url: browseUrl(input.baseUrl, issue.key) });
      if (facts.categoryKey === "done" && prev.issue.categoryKey !== "done") {
        // The agent waiting on the developers hears that they are done (issue #5 "notify the agent").
        await notifyPeople(tx, await recipients(tx, ticket, "assignee"), {
          kind: "jira.issue_done",
          ticketId: ticket.id,
          title: `${ticket.number}: Jira ${issue.key} is ${issue.status?.name ?? "done"}`,
          data: { number: ticket.number, key: issue.key, status: issue.status?.name ?? null },
          deliverAfter: now,
        });
      }
    }
  }

  // A stale read's comment list is no newer than the one the newer read already applied.
  if (input.comments && !isStale) {
    await importJiraComments(tx, { connectionId: input.connectionId, ticket, link, issueKey: issue.key, comments: input.comments, isServiceDesk: isServiceDeskIssue(issue), now });
  }
  await updateLink(tx, link.id, {
    // Keys the sync snapshot does not own (attachments dealt with, linkExtras.ts) are kept.
    ...(next ? { snapshot: { ...link.snapshot, ...storedSnapshot(next) } } : {}),
    remoteKey: issue.key.toUpperCase(),
    remoteStatus: isStale ? link.remoteStatus : (issue.status?.name ?? null),
    remoteUrl: browseUrl(input.baseUrl, issue.key),
    lastSyncedAt: now,
    lastError: null,
  });
  return { applied, skipped: isStale ? "stale" : null, wantsPush };
}

/** Only a Jira Service Management project has customer-facing comments. */
function isServiceDeskIssue(issue: JiraIssueView): boolean {
  const project = issue.fields.project as { projectTypeKey?: unknown } | undefined;
  return project?.projectTypeKey === "service_desk";
}
