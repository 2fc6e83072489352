import type { Db } from "../../db/client.js";
import { findConnection } from "../../db/repositories/connections.js";
import { insertLink, type ExternalLinkRow } from "../../db/repositories/externalLinks.js";
import { findTicket } from "../../db/repositories/findTicket.js";
import { loadTicketForJira } from "../../db/repositories/ticketForJira.js";
import { JIRA_SYSTEM } from "../../connectors/jira/constants.js";
import { isJiraError } from "../../connectors/jira/errors.js";
import { attachmentBaseline } from "../../connectors/jira/linkExtras.js";
import { browseUrl, issueFieldsFor } from "../../connectors/jira/issueFields.js";
import type { JiraSettings } from "../../connectors/jira/jiraSettings.js";
import { issueFacts, storedSnapshot } from "../../connectors/jira/linkSnapshot.js";
import { localSyncValues, remoteSyncValues } from "../../connectors/jira/mapping.js";
import { openJiraRuntime } from "../../connectors/jira/runtime.js";
import { ticketTerms } from "../../connectors/jira/ticketTerms.js";
import { viewIssue, type JiraIssue } from "../../connectors/jira/types.js";
import { AppError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { Actor } from "../../policies/actor.js";
import { requireStaff } from "../../policies/ticketPolicy.js";
import { recordTicketEvents } from "../tickets/recordTicketEvents.js";

/** A Jira failure during an agent's request, as the problem the agent sees. */
export function jiraRequestProblem(e: unknown, what: string): AppError {
  if (!isJiraError(e)) throw e;
  if (e.kind === "not_found") return new AppError("UNPROCESSABLE", `${what} does not exist in Jira, or the Jira user cannot see it`, { field: "key" });
  if (e.kind === "auth_failed") return new AppError("UNAVAILABLE", `Jira refused the connection's credentials; an admin must check the Jira connection (${e.message})`);
  return new AppError("UNAVAILABLE", `Jira could not be reached: ${e.message}`);
}

/**
 * Links a ticket to an existing Jira issue (many tickets may share one). The issue is read first
 * so the link starts with a snapshot in which both sides agree: linking never rewrites the issue
 * with this ticket's fields, nor the ticket with the issue's; only later changes flow.
 */
export async function linkJiraIssue(options: { db: Db; settings: JiraSettings; actor: Actor; ticketRef: string; key: string; channel: string; log?: Logger }): Promise<ExternalLinkRow> {
  const { db, actor } = options;
  requireStaff(actor);
  const found = await findTicket(db, actor, options.ticketRef);
  const row = await findConnection(db, JIRA_SYSTEM);
  if (!row) throw new AppError("CONFLICT", "Jira is not connected; an admin sets it up at PUT /api/v1/connections/jira");
  if (row.status !== "active") throw new AppError("CONFLICT", `the Jira connection is ${row.status.replaceAll("_", " ")}${row.lastError ? `: ${row.lastError}` : ""}`, { connectionStatus: row.status });
  const rt = openJiraRuntime(db, row, { secretKey: options.settings.secretKey, ...(options.log ? { log: options.log } : {}) });
  let raw: JiraIssue;
  try {
    raw = await rt.client.getIssue(options.key, { fields: issueFieldsFor(rt.mapping) });
  } catch (e) {
    throw jiraRequestProblem(e, `issue ${options.key}`);
  }
  const issue = viewIssue(raw);
  const now = new Date();
  return db.transaction(async (tx) => {
    const loaded = await loadTicketForJira(tx, found.id, { forUpdate: true });
    if (!loaded) throw new AppError("NOT_FOUND", "ticket not found");
    const snapshot = {
      remote: remoteSyncValues(issue, rt.mapping),
      local: localSyncValues(ticketTerms(loaded.ticket, loaded.assigneeEmail), rt.mapping),
      syncedAt: now.toISOString(),
      issue: issueFacts(issue),
      origin: "linked" as const,
    };
    const link = await insertLink(tx, {
      connectionId: row.id,
      ticketId: loaded.ticket.id,
      remoteId: issue.id,
      remoteKey: issue.key.toUpperCase(),
      remoteUrl: browseUrl(rt.connection.baseUrl, issue.key),
      remoteStatus: issue.status?.name ?? null,
      // Files already on the issue are its past: only files added later are copied to the ticket.
      snapshot: { ...storedSnapshot(snapshot), ...attachmentBaseline(issue.fields) },
      lastSyncedAt: now,
      createdAt: now,
    });
    if (!link) throw new AppError("CONFLICT", `the ticket is already linked to ${issue.key}`, { key: issue.key });
    await recordTicketEvents(tx, loaded.ticket.id, actor, options.channel, [{ type: "jira.linked", to: { key: issue.key, remoteId: issue.id, url: link.remoteUrl, origin: "linked" } }], now);
    return link;
  });
}
