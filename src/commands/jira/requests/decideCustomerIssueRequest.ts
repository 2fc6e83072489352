import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.js";
import { jiraIssueRequests } from "../../../db/schema/index.js";
import { AppError, notFound } from "../../../errors.js";
import type { Actor } from "../../../policies/actor.js";
import { isAdmin } from "../../../policies/actor.js";
import { enqueue } from "../../../jobs/enqueue.js";
import { createRequestedIssueJob } from "../../../connectors/jira/jobs/createRequestedIssueJob.js";
import { notifyPeople } from "../../notifications/notifyPeople.js";

export type IssueRequestRow = typeof jiraIssueRequests.$inferSelect;

/**
 * An admin approves a pending request (the issue is then created by a job, so a Jira outage
 * delays it instead of losing it) or rejects it with a reason. The requester hears either way.
 * A request is decided once: a second decision is a conflict.
 */
export async function decideCustomerIssueRequest(options: { db: Db; actor: Actor; requestId: string; decision: "approve" | "reject"; note?: string | undefined }): Promise<IssueRequestRow> {
  const { db, actor } = options;
  if (!isAdmin(actor)) throw new AppError("FORBIDDEN", "only an admin can approve or reject a Jira issue request");
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(jiraIssueRequests).where(eq(jiraIssueRequests.id, options.requestId)).for("update");
    if (!row) throw notFound("issue request");
    if (row.status !== "pending") throw new AppError("CONFLICT", `the request was already ${row.status}`, { requestStatus: row.status });
    const now = new Date();
    const status = options.decision === "approve" ? "approved" : "rejected";
    const [saved] = await tx
      .update(jiraIssueRequests)
      .set({ status, decidedById: actor.id, decidedAt: now, decisionNote: options.note ?? null })
      .where(eq(jiraIssueRequests.id, row.id))
      .returning();
    if (status === "approved") await enqueue(tx, createRequestedIssueJob, { requestId: row.id });
    if (row.requestedById && row.requestedById !== actor.id) {
      await notifyPeople(tx, [row.requestedById], {
        kind: status === "approved" ? "jira.issue_request_approved" : "jira.issue_request_rejected",
        ticketId: null,
        title: `${actor.name} ${status} your Jira issue request "${row.summary}"${options.note ? `: ${options.note}` : ""}`,
        data: { requestId: row.id, organizationId: row.organizationId },
        deliverAfter: now,
      });
    }
    return saved!;
  });
}
