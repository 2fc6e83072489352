import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../db/client.js";
import { jiraIssueRequests, tickets } from "../../../db/schema/index.js";
import { findConnection } from "../../../db/repositories/connections.js";
import type { Actor } from "../../../policies/actor.js";
import { requireStaff } from "../../../policies/ticketPolicy.js";
import { AppError } from "../../../errors.js";
import { JIRA_SYSTEM } from "../../../connectors/jira/constants.js";
import type { CustomerLinkType } from "../../../connectors/jira/customers/customerSettings.js";
import { adminIds, notifyPeople } from "../../notifications/notifyPeople.js";
import { draftCustomerIssue } from "./draftCustomerIssue.js";

export type CustomerIssueRequestInput = {
  organizationId: string;
  summary: string;
  description?: string | undefined;
  issueType?: string | undefined;
  priority?: string | undefined;
  linkType?: CustomerLinkType | undefined;
  ticketIds?: string[] | undefined;
};

/**
 * Asks for a Jira issue from a customer context. Nothing reaches Jira yet: the request waits for
 * an admin's approval (the CSM requirements' FR-4), and admins are told it is waiting. The
 * tickets named must be the organization's own.
 */
export async function requestCustomerIssue(options: { db: Db; actor: Actor; input: CustomerIssueRequestInput }) {
  const { db, actor, input } = options;
  requireStaff(actor);
  const connection = await findConnection(db, JIRA_SYSTEM);
  if (!connection) throw new AppError("CONFLICT", "Jira is not connected; an admin sets it up at PUT /api/v1/connections/jira");
  const draft = await draftCustomerIssue(db, input.organizationId);
  const ticketIds = [...new Set(input.ticketIds ?? [])];
  if (ticketIds.length > 0) {
    const own = await db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(inArray(tickets.id, ticketIds), eq(tickets.organizationId, input.organizationId)));
    if (own.length !== ticketIds.length) throw new AppError("UNPROCESSABLE", "every ticket must belong to the organization", { field: "ticketIds" });
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(jiraIssueRequests)
      .values({
        connectionId: connection.id,
        organizationId: input.organizationId,
        requestedById: actor.id,
        summary: input.summary,
        description: input.description ?? "",
        issueType: input.issueType ?? null,
        priority: input.priority ?? null,
        linkType: input.linkType ?? "requested",
        ticketIds,
        context: draft as unknown as Record<string, unknown>,
      })
      .returning();
    const admins = (await adminIds(tx)).filter((id) => id !== actor.id);
    await notifyPeople(tx, admins, {
      kind: "jira.issue_request_pending",
      ticketId: null,
      title: `${actor.name} asks to create a Jira issue for ${draft.organization.name}: ${input.summary}`,
      data: { requestId: row!.id, organizationId: input.organizationId },
      deliverAfter: new Date(),
    });
    return row!;
  });
}
