import type { Db } from "../../db/client.js";
import { findConnection } from "../../db/repositories/connections.js";
import { linksOfTicket } from "../../db/repositories/externalLinks.js";
import { findTicket } from "../../db/repositories/findTicket.js";
import { latestEventOf } from "../../db/repositories/ticketEvents.js";
import { JIRA_SYSTEM } from "../../connectors/jira/constants.js";
import { escalateJob } from "../../connectors/jira/jobs/escalateJob.js";
import { isDeletedInJira } from "../../connectors/jira/linkExtras.js";
import { AppError } from "../../errors.js";
import { enqueue } from "../../jobs/enqueue.js";
import { hasCurrentQueue } from "../../jobs/queue.js";
import type { Actor } from "../../policies/actor.js";
import { requireStaff } from "../../policies/ticketPolicy.js";
import { recordTicketEvents } from "../tickets/recordTicketEvents.js";

/**
 * An agent escalates a ticket to Jira: the request is recorded and the `jira.escalate` job is
 * enqueued in the same transaction (the outbox rule), so it runs if and only if this commits.
 * The job creates the issue; a ticket already linked to a Jira issue is refused (409), and so is
 * escalating while the connection is paused, which the agent could not see otherwise.
 */
export async function escalateToJira(options: { db: Db; actor: Actor; ticketRef: string; channel: string }): Promise<{ ticketId: string; jobId: string | null }> {
  requireStaff(options.actor);
  if (!hasCurrentQueue()) throw new AppError("UNAVAILABLE", "the job queue is not running in this process");
  return options.db.transaction(async (tx) => {
    const ticket = await findTicket(tx, options.actor, options.ticketRef, { forUpdate: true });
    const connection = await findConnection(tx, JIRA_SYSTEM);
    if (!connection) throw new AppError("CONFLICT", "Jira is not connected; an admin sets it up at PUT /api/v1/connections/jira");
    if (connection.status !== "active") {
      throw new AppError("CONFLICT", `the Jira connection is ${connection.status.replaceAll("_", " ")}${connection.lastError ? `: ${connection.lastError}` : ""}`, { connectionStatus: connection.status });
    }
    // A link whose issue was deleted in Jira no longer counts: the work may be escalated again.
    const linked = (await linksOfTicket(tx, ticket.id, JIRA_SYSTEM)).find((l) => l.connection.id === connection.id && !isDeletedInJira(l.link.snapshot));
    if (linked) throw new AppError("CONFLICT", `the ticket is already linked to ${linked.link.remoteKey ?? linked.link.remoteId}`, { key: linked.link.remoteKey });
    // Two escalations running at once could both miss each other's marker (Jira's search index
    // lags) and create two issues: the row lock above makes this check see the first request.
    const last = await latestEventOf(tx, ticket.id, ["jira.escalation_requested", "jira.linked", "jira.escalation_failed", "jira.unlinked"]);
    // A request older than the escalate job's retries (about half a day) is not running any more.
    const isRunning = last?.type === "jira.escalation_requested" && Date.now() - last.createdAt.getTime() < 24 * 3600_000;
    if (isRunning) throw new AppError("CONFLICT", "the ticket is being escalated to Jira already");
    await recordTicketEvents(tx, ticket.id, options.actor, options.channel, [{ type: "jira.escalation_requested", to: { connectionId: connection.id, projectKey: (connection.settings as { projectKey?: unknown }).projectKey ?? null } }]);
    const jobId = await enqueue(tx, escalateJob, { ticketId: ticket.id, connectionId: connection.id, requestedById: options.actor.id });
    return { ticketId: ticket.id, jobId };
  });
}
