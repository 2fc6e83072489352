import { z } from "zod";
import type { JiraIssueRow } from "../db/repositories/jiraIssues.js";
import type { IssueRequestRow } from "../commands/jira/requests/decideCustomerIssueRequest.js";
import { browseUrl } from "../connectors/jira/issueFields.js";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const ZJiraIssueOut = z
  .object({
    key: z.string(),
    id: z.string(),
    url: z.string(),
    projectKey: z.string().nullable(),
    summary: z.string(),
    issueType: z.string().nullable(),
    status: z.string().nullable(),
    statusId: z.string().nullable(),
    statusCategory: z.string().nullable(),
    priority: z.string().nullable(),
    assignee: z.string().nullable(),
    reporter: z.string().nullable(),
    labels: z.array(z.string()),
    components: z.array(z.string()),
    customFields: z.record(z.string(), z.unknown()),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    statusSince: z.string().nullable(),
    /** Seconds in the current status, as of the answer. */
    timeInStatusSeconds: z.number().int().nullable(),
    deleted: z.boolean(),
    syncedAt: z.string(),
  })
  .meta({ id: "JiraIssue" });

export function presentJiraIssue(row: JiraIssueRow, baseUrl: string, now: Date): z.infer<typeof ZJiraIssueOut> {
  return {
    key: row.remoteKey,
    id: row.remoteId,
    url: browseUrl(baseUrl, row.remoteKey),
    projectKey: row.projectKey,
    summary: row.summary,
    issueType: row.issueType,
    status: row.statusName,
    statusId: row.statusId,
    statusCategory: row.statusCategory,
    priority: row.priority,
    assignee: row.assignee,
    reporter: row.reporter,
    labels: row.labels,
    components: row.components,
    customFields: row.customFields,
    createdAt: iso(row.remoteCreatedAt),
    updatedAt: iso(row.remoteUpdatedAt),
    resolvedAt: iso(row.resolvedAt),
    statusSince: iso(row.statusSince),
    timeInStatusSeconds: row.statusSince ? Math.max(0, Math.round((now.getTime() - row.statusSince.getTime()) / 1000)) : null,
    deleted: row.deletedAt !== null,
    syncedAt: row.syncedAt.toISOString(),
  };
}

export const ZIssueRequestOut = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    requestedById: z.uuid().nullable(),
    summary: z.string(),
    description: z.string(),
    issueType: z.string().nullable(),
    priority: z.string().nullable(),
    linkType: z.string(),
    ticketIds: z.array(z.string()),
    context: z.record(z.string(), z.unknown()),
    status: z.enum(["pending", "approved", "rejected", "created", "failed"]),
    decidedById: z.uuid().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    key: z.string().nullable(),
    error: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "JiraIssueRequest" });

export function presentIssueRequest(row: IssueRequestRow): z.infer<typeof ZIssueRequestOut> {
  return {
    id: row.id,
    organizationId: row.organizationId,
    requestedById: row.requestedById,
    summary: row.summary,
    description: row.description,
    issueType: row.issueType,
    priority: row.priority,
    linkType: row.linkType,
    ticketIds: row.ticketIds,
    context: row.context,
    status: row.status as z.infer<typeof ZIssueRequestOut>["status"],
    decidedById: row.decidedById,
    decidedAt: iso(row.decidedAt),
    decisionNote: row.decisionNote,
    key: row.remoteKey,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
  };
}
