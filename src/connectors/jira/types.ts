import { z } from "zod";

/**
 * The parts of Jira's answers the connector reads, checked loosely: Jira adds fields freely and
 * custom fields vary per site, so unknown keys pass and only what we use is required.
 */

/** Cloud identifies people by accountId; Server/DC by name/key (PROTOCOLS.md §1.7). */
export const ZJiraUser = z
  .object({
    accountId: z.string().optional(),
    name: z.string().optional(),
    key: z.string().optional(),
    displayName: z.string().optional(),
    emailAddress: z.string().optional(),
    active: z.boolean().optional(),
  })
  .loose();
export type JiraUser = z.infer<typeof ZJiraUser>;

export const statusCategoryKeys = ["new", "indeterminate", "done"] as const;
export type StatusCategoryKey = (typeof statusCategoryKeys)[number];

export const ZJiraStatus = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    statusCategory: z.object({ id: z.number().optional(), key: z.string(), name: z.string().optional() }).loose().optional(),
  })
  .loose();

export const ZJiraIssue = z
  .object({
    id: z.string(),
    key: z.string(),
    self: z.string().optional(),
    fields: z.record(z.string(), z.unknown()).default({}),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type JiraIssue = z.infer<typeof ZJiraIssue>;

export const ZCreatedIssue = z.object({ id: z.string(), key: z.string(), self: z.string().optional() }).loose();
export type CreatedIssue = z.infer<typeof ZCreatedIssue>;

export const ZJiraComment = z
  .object({
    id: z.string(),
    body: z.unknown(),
    author: ZJiraUser.optional(),
    updateAuthor: ZJiraUser.optional(),
    created: z.string().optional(),
    updated: z.string().optional(),
    jsdPublic: z.boolean().optional(),
    visibility: z.object({ type: z.string().optional(), value: z.string().optional() }).loose().optional(),
  })
  .loose();
export type JiraComment = z.infer<typeof ZJiraComment>;

export const ZCommentPage = z
  .object({ startAt: z.number().optional(), maxResults: z.number().optional(), total: z.number().optional(), comments: z.array(ZJiraComment) })
  .loose();

/** JSM's servicedeskapi comment (CommentDTO): body is a string, `public` says who sees it. */
export const ZServiceDeskComment = z
  .object({ id: z.string(), body: z.string().optional(), public: z.boolean(), created: z.object({ iso8601: z.string().optional(), epochMillis: z.number().optional() }).loose().optional() })
  .loose();
export type ServiceDeskComment = z.infer<typeof ZServiceDeskComment>;

export const ZTransition = z
  .object({ id: z.string(), name: z.string().optional(), to: ZJiraStatus.optional(), isAvailable: z.boolean().optional(), hasScreen: z.boolean().optional() })
  .loose();
export type JiraTransition = z.infer<typeof ZTransition>;
export const ZTransitions = z.object({ transitions: z.array(ZTransition).default([]) }).loose();

export const ZAttachment = z
  .object({ id: z.union([z.string(), z.number()]).transform(String), filename: z.string(), size: z.number().optional(), mimeType: z.string().optional(), content: z.string().optional() })
  .loose();
export type JiraAttachment = z.infer<typeof ZAttachment>;

export const ZEntityProperty = z.object({ key: z.string(), value: z.unknown() }).loose();

export const ZIssueType = z.object({ id: z.string(), name: z.string(), subtask: z.boolean().optional() }).loose();
export type JiraIssueType = z.infer<typeof ZIssueType>;

export const ZProject = z
  .object({ id: z.string(), key: z.string(), name: z.string().optional(), projectTypeKey: z.string().optional(), issueTypes: z.array(ZIssueType).optional() })
  .loose();
export type JiraProject = z.infer<typeof ZProject>;

/** One field on a create screen (createmeta); `allowedValues` lists select options. */
export const ZCreateField = z
  .object({ fieldId: z.string(), name: z.string().optional(), required: z.boolean().optional(), schema: z.object({ type: z.string().optional(), custom: z.string().optional() }).loose().optional(), allowedValues: z.array(z.unknown()).optional() })
  .loose();
export type JiraCreateField = z.infer<typeof ZCreateField>;

export const ZServerInfo = z
  .object({ baseUrl: z.string().optional(), version: z.string().optional(), deploymentType: z.string().optional(), serverTitle: z.string().optional() })
  .loose();
export type JiraServerInfo = z.infer<typeof ZServerInfo>;

/**
 * Jira writes offsets without a colon (`2019-02-15T19:01:52.971-0800`), which `Date.parse` only
 * accepts by engine leniency; normalise before parsing.
 */
export function parseJiraTime(value: unknown): Date | null {
  if (typeof value !== "string" || value === "") return null;
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** The issue fields the sync reads, lifted out of `fields`. */
export type JiraIssueView = {
  id: string;
  key: string;
  summary: string;
  /** As sent: ADF on Cloud v3, wiki string on DC. */
  description: unknown;
  status: { id: string; name: string; categoryKey: string } | null;
  priority: { id: string; name: string } | null;
  assignee: JiraUser | null;
  labels: string[];
  created: Date | null;
  updated: Date | null;
  fields: Record<string, unknown>;
  properties: Record<string, unknown>;
};

export function viewIssue(issue: JiraIssue): JiraIssueView {
  const f = issue.fields;
  const status = ZJiraStatus.safeParse(f.status);
  const priority = z.object({ id: z.string(), name: z.string().optional() }).loose().safeParse(f.priority);
  const assignee = ZJiraUser.safeParse(f.assignee);
  return {
    id: issue.id,
    key: issue.key,
    summary: typeof f.summary === "string" ? f.summary : "",
    description: f.description ?? null,
    status: status.success ? { id: status.data.id, name: status.data.name ?? "", categoryKey: status.data.statusCategory?.key ?? "" } : null,
    priority: priority.success ? { id: priority.data.id, name: priority.data.name ?? "" } : null,
    assignee: f.assignee && assignee.success ? assignee.data : null,
    labels: Array.isArray(f.labels) ? f.labels.filter((l): l is string => typeof l === "string") : [],
    created: parseJiraTime(f.created),
    updated: parseJiraTime(f.updated),
    fields: f,
    properties: issue.properties ?? {},
  };
}
