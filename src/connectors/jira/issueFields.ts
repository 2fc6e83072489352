import type { JiraMapping } from "./mapping.js";

/**
 * The fields every read of an issue asks for: Cloud's search returns only ids unless told.
 * `attachment` lists the issue's files, which is how new ones are found (inboundAttachments.ts).
 */
export function issueFieldsFor(mapping: JiraMapping): string[] {
  return ["summary", "description", "status", "priority", "assignee", "labels", "created", "updated", "project", "attachment", ...mapping.customFields.map((f) => f.jiraField)];
}

/** The issue's page for people (DC and Cloud alike). */
export const browseUrl = (baseUrl: string, key: string) => `${baseUrl.replace(/\/+$/, "")}/browse/${encodeURIComponent(key)}`;
