import type { JiraClient } from "./client.js";
import type { JiraConnection } from "./config.js";
import { isJiraError, type JiraErrorKind } from "./errors.js";
import type { JiraMapping } from "./mapping.js";
import type { RemoteFacts } from "./storedConnection.js";
import type { JiraIssueType } from "./types.js";

export const connectionCheckNames = ["credentials", "project", "issue_type", "statuses", "fields"] as const;
export type ConnectionCheck = { name: (typeof connectionCheckNames)[number]; result: "ok" | "failed" | "skipped"; message: string };

export type ConnectionReport = {
  checks: ConnectionCheck[];
  /** The first failure's class: auth problems and unreachable Jira are told apart from a bad mapping. */
  failure: JiraErrorKind | null;
  remote: RemoteFacts;
};

const said = (e: unknown) => (isJiraError(e) ? (e.messages[0] ?? e.message) : e instanceof Error ? e.message : String(e));

function failureOf(e: unknown): JiraErrorKind {
  return isJiraError(e) ? e.kind : "remote_down";
}

/** Words for a failed call, for an admin who has to fix something. */
function explain(e: unknown, what: string): string {
  if (!isJiraError(e)) return `${what}: ${said(e)}`;
  switch (e.kind) {
    case "auth_failed":
      return e.status === 403 ? `${what}: the Jira user lacks a permission (403: ${said(e)})` : `${what}: Jira refused the credentials (${said(e)})`;
    case "rate_limited":
      return `${what}: Jira is rate limiting us; try again in ${e.retryAfterSeconds ?? "a few"} seconds`;
    case "remote_down":
      return `${what}: Jira did not answer (${e.message})`;
    case "config_invalid":
      return `${what}: ${e.message}`;
    default:
      return `${what}: ${said(e)}`;
  }
}

/**
 * Asks Jira whether the connection and its mapping fit: the credentials (myself), the project,
 * the issue type, every status id the mapping names, and every mapped field on the create screen
 * (with its select options and the priority ids). Each failure is said in words an admin can act
 * on; later checks are skipped once one fails, since they would only fail the same way.
 */
export async function checkJiraConnection(client: JiraClient, connection: JiraConnection, mapping: JiraMapping): Promise<ConnectionReport> {
  const checks: ConnectionCheck[] = [];
  const remote: RemoteFacts = {};
  let failure: JiraErrorKind | null = null;
  const fail = (name: ConnectionCheck["name"], message: string, kind: JiraErrorKind) => {
    checks.push({ name, result: "failed", message });
    failure ??= kind;
  };
  const skipRest = () => {
    for (const name of connectionCheckNames) if (!checks.some((c) => c.name === name)) checks.push({ name, result: "skipped", message: "skipped: an earlier check failed" });
  };

  try {
    const me = await client.myself();
    if (me.accountId) remote.accountId = me.accountId;
    const zone = (me as { timeZone?: unknown }).timeZone;
    if (typeof zone === "string") remote.timeZone = zone;
    checks.push({ name: "credentials", result: "ok", message: `signed in as ${me.displayName ?? me.name ?? me.accountId ?? "an unnamed user"}` });
  } catch (e) {
    fail("credentials", explain(e, "credentials"), failureOf(e));
    skipRest();
    return { checks, failure, remote };
  }

  const key = connection.projectKey;
  try {
    const project = await client.getProject(key);
    if (project.projectTypeKey) remote.projectTypeKey = project.projectTypeKey;
    checks.push({ name: "project", result: "ok", message: `project ${project.key}${project.name ? ` (${project.name})` : ""} found${project.projectTypeKey === "service_desk" ? ", a Jira Service Management project" : ""}` });
  } catch (e) {
    const message = isJiraError(e) && e.kind === "not_found" ? `project ${key} does not exist, or the Jira user cannot see it` : explain(e, `project ${key}`);
    fail("project", message, isJiraError(e) && e.kind === "not_found" ? "mapping_invalid" : failureOf(e));
    skipRest();
    return { checks, failure, remote };
  }

  let issueType: JiraIssueType | undefined;
  try {
    const types = await client.listIssueTypes(key);
    const wanted = connection.issueType.toLowerCase();
    issueType = types.find((t) => t.id === connection.issueType || t.name.toLowerCase() === wanted);
    if (issueType) checks.push({ name: "issue_type", result: "ok", message: `issue type ${issueType.name} (id ${issueType.id}) can be created in ${key}` });
    else fail("issue_type", `issue type "${connection.issueType}" cannot be created in ${key}; it offers ${types.map((t) => `${t.name} (id ${t.id})`).join(", ") || "no issue types"}`, "mapping_invalid");
  } catch (e) {
    fail("issue_type", explain(e, "issue types"), failureOf(e));
  }
  if (!issueType) {
    skipRest();
    return { checks, failure, remote };
  }

  try {
    const statuses = await client.listProjectStatuses(key);
    const known = new Set(statuses.map((s) => s.id));
    const named = [...mapping.status.fromJira.map((r) => r.match), ...mapping.status.toJira.map((r) => r.target)].flatMap((m) => ("statusId" in m ? [m.statusId] : []));
    const unknown = [...new Set(named.filter((id) => !known.has(id)))];
    if (unknown.length === 0) checks.push({ name: "statuses", result: "ok", message: `every mapped status exists in ${key}'s workflows` });
    else fail("statuses", `status id${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} ${unknown.length > 1 ? "are" : "is"} not in ${key}'s workflows; it has ${statuses.map((s) => `${s.name} (id ${s.id}, ${s.categoryKey})`).join(", ")}`, "mapping_invalid");
  } catch (e) {
    fail("statuses", explain(e, "statuses"), failureOf(e));
  }

  try {
    const fields = await client.listCreateFields(key, issueType.id);
    const byId = new Map(fields.map((f) => [f.fieldId, f]));
    const problems: string[] = [];
    for (const f of mapping.customFields) {
      const field = byId.get(f.jiraField);
      if (!field) {
        problems.push(`${f.jiraField} (mapped from ${f.source}) is not on the create screen of ${issueType.name} in ${key}`);
        continue;
      }
      if ((f.type === "select" || f.type === "multiselect") && field.allowedValues) {
        const values = new Set(field.allowedValues.map((v) => (typeof v === "object" && v !== null ? String((v as { value?: unknown }).value ?? "") : "")));
        const missing = Object.values(f.options ?? {}).filter((v) => !values.has(v));
        if (missing.length > 0) problems.push(`${f.jiraField} (${field.name ?? "select"}) has no option ${missing.map((m) => `"${m}"`).join(", ")}; it offers ${[...values].map((v) => `"${v}"`).join(", ")}`);
      }
    }
    const priority = byId.get("priority");
    if (priority?.allowedValues) {
      const ids = new Set(priority.allowedValues.map((v) => (typeof v === "object" && v !== null ? String((v as { id?: unknown }).id ?? "") : "")));
      const missing = [...new Set(Object.values(mapping.priority.toJira))].filter((id) => !ids.has(id));
      if (missing.length > 0) problems.push(`priority id${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "do" : "does"} not exist in Jira`);
    }
    if (problems.length === 0) checks.push({ name: "fields", result: "ok", message: `every mapped field is on the create screen of ${issueType.name}` });
    else fail("fields", problems.join("; "), "mapping_invalid");
  } catch (e) {
    fail("fields", explain(e, "create screen"), failureOf(e));
  }
  return { checks, failure, remote };
}
