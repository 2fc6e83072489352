import { z } from "zod";
import { parseJiraTime, viewIssue, type JiraIssue } from "../types.js";
import type { CustomerLinkSettings } from "./customerSettings.js";

/** What we keep of a customer-linked issue (the CSM requirements' FR-2 field list). */
export type IssueRecord = {
  remoteId: string;
  remoteKey: string;
  projectKey: string | null;
  summary: string;
  issueType: string | null;
  statusId: string | null;
  statusName: string | null;
  statusCategory: string | null;
  priority: string | null;
  assignee: string | null;
  reporter: string | null;
  labels: string[];
  components: string[];
  customFields: Record<string, unknown>;
  remoteCreatedAt: Date | null;
  remoteUpdatedAt: Date | null;
  resolvedAt: Date | null;
  /** When Jira says the status category last changed: the best start for a status first seen. */
  statusCategoryChangedAt: Date | null;
};

/** The fields a customer sync asks for: Cloud's search returns only ids unless they are listed. */
export function customerIssueFields(settings: CustomerLinkSettings, extra: string[] = []): string[] {
  return [
    "summary",
    "issuetype",
    "status",
    "priority",
    "assignee",
    "reporter",
    "created",
    "updated",
    "resolutiondate",
    "statuscategorychangedate",
    "labels",
    "components",
    "project",
    ...(settings.customField ? [settings.customField] : []),
    ...extra,
  ];
}

const ZNamed = z.object({ name: z.string().optional(), key: z.string().optional(), value: z.string().optional() }).loose();
const name = (v: unknown): string | null => {
  const p = ZNamed.safeParse(v);
  return p.success ? (p.data.name ?? p.data.key ?? p.data.value ?? null) : null;
};
const person = (v: unknown): string | null => {
  const p = z.object({ displayName: z.string().optional(), name: z.string().optional(), accountId: z.string().optional() }).loose().safeParse(v);
  return v && p.success ? (p.data.displayName ?? p.data.name ?? p.data.accountId ?? null) : null;
};

export function toIssueRecord(raw: JiraIssue, customFieldIds: string[]): IssueRecord {
  const view = viewIssue(raw);
  const f = raw.fields;
  const project = z.object({ key: z.string() }).loose().safeParse(f.project);
  const components = Array.isArray(f.components) ? f.components.map(name).filter((c): c is string => c !== null) : [];
  const customFields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (k.startsWith("customfield_") && (customFieldIds.length === 0 || customFieldIds.includes(k)) && v !== null && v !== undefined) customFields[k] = v;
  return {
    remoteId: view.id,
    remoteKey: view.key,
    projectKey: project.success ? project.data.key : view.key.replace(/-\d+$/, ""),
    summary: view.summary,
    issueType: name(f.issuetype),
    statusId: view.status?.id ?? null,
    statusName: view.status?.name ?? null,
    statusCategory: view.status?.categoryKey || null,
    priority: view.priority?.name || null,
    assignee: person(f.assignee),
    reporter: person(f.reporter),
    labels: view.labels,
    components,
    customFields,
    remoteCreatedAt: view.created,
    remoteUpdatedAt: view.updated,
    resolvedAt: parseJiraTime(f.resolutiondate),
    statusCategoryChangedAt: parseJiraTime(f.statuscategorychangedate),
  };
}
