import { z } from "zod";
import { ticketPriorities, type TicketPriority } from "../../domain/ticketPriority.js";
import { ticketStatuses, type TicketStatus } from "../../domain/ticketStatus.js";
import type { CreateIssuePayload, IssueMarker, StatusTarget } from "./client.js";
import type { JiraDeployment } from "./config.js";
import { jiraBodyToMarkdown, markdownToJira } from "./text.js";
import { statusCategoryKeys, type JiraIssueView } from "./types.js";

/**
 * How tickets and Jira issues correspond (issue #5 "Mapping"). Pure and validated: a mapping
 * that parses here can still name a field Jira does not have, which the connection's `test`
 * action checks against createmeta.
 */

const ZJiraId = z.string().regex(/^\d+$/, "must be a Jira id (digits)");
/** Jira labels cannot contain spaces. */
const ZLabel = z.string().regex(/^\S{1,255}$/, "a Jira label has no spaces and at most 255 characters");
const ZCategoryKey = z.enum(statusCategoryKeys);

/** A Jira status, by id or by category key — never by display name, which is translated per user (FreeScout #3512). */
export const ZStatusMatch = z.union([z.strictObject({ statusId: ZJiraId }), z.strictObject({ categoryKey: ZCategoryKey })]);
export type StatusMatch = z.infer<typeof ZStatusMatch>;

export const fieldOwners = ["ticket", "jira", "both"] as const;
export type FieldOwner = (typeof fieldOwners)[number];

export const customFieldTypes = ["text", "textarea", "number", "select", "multiselect", "labels", "date"] as const;

export const ZCustomFieldMapping = z.strictObject({
  /** Our name for the field: in ownership, snapshots and plans it is `custom.<key>`. */
  key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  /** Where the ticket keeps the value: its category or one of its custom fields. */
  source: z.string().regex(/^(category|customFields\.[A-Za-z0-9_]+)$/, "must be `category` or `customFields.<name>`"),
  jiraField: z.string().regex(/^customfield_\d+$/, "must be a custom field id such as customfield_10001"),
  type: z.enum(customFieldTypes),
  /** select/multiselect: ticket value → Jira option value; unlisted values pass unchanged. */
  options: z.record(z.string(), z.string()).optional(),
});
export type CustomFieldMapping = z.infer<typeof ZCustomFieldMapping>;

const defaultPriority = {
  toJira: { urgent: "1", high: "2", medium: "3", low: "4" },
  fromJira: { "1": "urgent", "2": "high", "3": "medium", "4": "low", "5": "low" },
} satisfies { toJira: Record<TicketPriority, string>; fromJira: Record<string, TicketPriority> };

const builtInFields = ["summary", "description", "priority", "status", "assignee", "labels"] as const;

const defaultOwnership: Record<string, FieldOwner> = {
  summary: "ticket",
  description: "ticket",
  priority: "both",
  status: "jira",
  assignee: "jira",
  labels: "ticket",
};

export const ZJiraMapping = z
  .strictObject({
    priority: z
      .strictObject({
        /** Every ticket priority needs a Jira priority id. */
        toJira: z.strictObject({ low: ZJiraId, medium: ZJiraId, high: ZJiraId, urgent: ZJiraId }),
        fromJira: z.record(ZJiraId, z.enum(ticketPriorities)),
      })
      .default(defaultPriority),
    status: z
      .strictObject({
        /** First rule naming the status id wins, else the first naming its category; `null` = leave the ticket alone. */
        fromJira: z.array(z.strictObject({ match: ZStatusMatch, ticketStatus: z.enum(ticketStatuses).nullable() })),
        /** Where a ticket status sends the issue; unlisted statuses are not pushed. */
        toJira: z.array(z.strictObject({ ticketStatus: z.enum(ticketStatuses), target: ZStatusMatch })),
      })
      .default({ fromJira: [{ match: { categoryKey: "done" }, ticketStatus: "resolved" }], toJira: [] }),
    customFields: z.array(ZCustomFieldMapping).default([]),
    labels: z.strictObject({ static: z.array(ZLabel).default([]), fromTags: z.boolean().default(false) }).default({ static: [], fromTags: false }),
    /** How our issues are found again after a crash (DESIGN.md §7 "search by our own marker"). */
    marker: z
      .strictObject({
        labelPrefix: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).default("switchboard-"),
        propertyKey: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/).default("switchboard"),
      })
      .default({ labelPrefix: "switchboard-", propertyKey: "switchboard" }),
    /** Field → owner; unlisted fields take the defaults above, custom fields default to `ticket`. */
    ownership: z.record(z.string(), z.enum(fieldOwners)).default({}),
    comments: z
      .strictObject({
        publicReplies: z.boolean().default(true),
        internalNotes: z.boolean().default(false),
        /** JSM internal comments: servicedeskapi `public:false` (recommended) or the `sd.public.comment` property. */
        internalVia: z.enum(["servicedesk", "property"]).default("servicedesk"),
      })
      .default({ publicReplies: true, internalNotes: false, internalVia: "servicedesk" }),
  })
  .superRefine((m, ctx) => {
    const keys = new Set<string>();
    const jiraFields = new Set<string>();
    m.customFields.forEach((f, i) => {
      if (keys.has(f.key)) ctx.addIssue({ code: "custom", path: ["customFields", i, "key"], message: `${f.key} is mapped twice` });
      if (jiraFields.has(f.jiraField)) ctx.addIssue({ code: "custom", path: ["customFields", i, "jiraField"], message: `${f.jiraField} is mapped twice` });
      if (f.options && f.type !== "select" && f.type !== "multiselect") ctx.addIssue({ code: "custom", path: ["customFields", i, "options"], message: "options apply to select fields only" });
      keys.add(f.key);
      jiraFields.add(f.jiraField);
    });
    for (const field of Object.keys(m.ownership)) {
      const known = (builtInFields as readonly string[]).includes(field) || (field.startsWith("custom.") && keys.has(field.slice(7)));
      if (!known) ctx.addIssue({ code: "custom", path: ["ownership", field], message: `unknown field ${field}; use ${builtInFields.join(", ")} or custom.<key>` });
    }
  });
export type JiraMappingInput = z.input<typeof ZJiraMapping>;
export type JiraMapping = z.output<typeof ZJiraMapping>;

export function parseJiraMapping(input: unknown): JiraMapping {
  return ZJiraMapping.parse(input ?? {});
}

/** The ticket as the mapping sees it. Anything else a caller passes (requester, emails) is never read. */
export type TicketForJira = {
  id: string;
  number: string;
  subject: string;
  /** Markdown. */
  description: string;
  priority: TicketPriority;
  status: TicketStatus;
  category: string;
  tags: string[];
  customFields: Record<string, unknown>;
  /** The assigned agent's email, for the two-way assignee field. */
  assigneeEmail?: string | null;
};

export type JiraTarget = { deployment: JiraDeployment; projectKey: string; issueType: string };

// ── statuses and priorities ─────────────────────────────────────────────────────────────────────

/** The ticket status a Jira status means, or null when the mapping says to leave the ticket alone. */
export function ticketStatusFor(status: { id: string; categoryKey: string } | null, mapping: JiraMapping): TicketStatus | null {
  if (!status) return null;
  const byId = mapping.status.fromJira.find((r) => "statusId" in r.match && r.match.statusId === status.id);
  if (byId) return byId.ticketStatus;
  const byCategory = mapping.status.fromJira.find((r) => "categoryKey" in r.match && r.match.categoryKey === status.categoryKey);
  return byCategory?.ticketStatus ?? null;
}

/** Where a ticket status sends the issue, or null when it is not pushed. */
export function jiraStatusTargetFor(status: TicketStatus, mapping: JiraMapping): StatusTarget | null {
  return mapping.status.toJira.find((r) => r.ticketStatus === status)?.target ?? null;
}

export function jiraPriorityIdFor(priority: TicketPriority, mapping: JiraMapping): string {
  return mapping.priority.toJira[priority];
}

export function ticketPriorityFor(jiraPriorityId: string | null | undefined, mapping: JiraMapping): TicketPriority | null {
  return jiraPriorityId ? (mapping.priority.fromJira[jiraPriorityId] ?? null) : null;
}

// ── create payload ──────────────────────────────────────────────────────────────────────────────

export function markerFor(ticketId: string, mapping: JiraMapping, projectKey: string): IssueMarker {
  return { projectKey, label: `${mapping.marker.labelPrefix}${ticketId}`, propertyKey: mapping.marker.propertyKey, ticketId };
}

function sourceValue(ticket: TicketForJira, source: string): unknown {
  if (source === "category") return ticket.category;
  return ticket.customFields[source.slice("customFields.".length)];
}

const toLabel = (tag: string) => tag.trim().replace(/\s+/g, "_").slice(0, 255);

/** A ticket value in the Jira field's wire format, or undefined when there is nothing to send. */
export function customFieldToJira(field: CustomFieldMapping, value: unknown, deployment: JiraDeployment): unknown {
  if (value === undefined || value === null || value === "") return undefined;
  const option = (v: unknown) => ({ value: field.options?.[String(v)] ?? String(v) });
  switch (field.type) {
    case "text":
      return String(value);
    case "textarea":
      return markdownToJira(String(value), deployment);
    case "number": {
      const n = typeof value === "number" ? value : Number(value);
      return Number.isFinite(n) ? n : undefined;
    }
    case "select":
      return option(value);
    case "multiselect":
      return (Array.isArray(value) ? value : [value]).map(option);
    case "labels":
      return (Array.isArray(value) ? value : [value]).map((v) => toLabel(String(v))).filter((l) => l !== "");
    case "date": {
      const d = value instanceof Date ? value : new Date(String(value));
      return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
    }
  }
}

/** A Jira field value back in ticket terms (inverse of customFieldToJira). */
export function customFieldFromJira(field: CustomFieldMapping, raw: unknown): unknown {
  if (raw === undefined || raw === null) return null;
  const reverse = (v: string) => Object.entries(field.options ?? {}).find(([, jira]) => jira === v)?.[0] ?? v;
  const optionValue = (o: unknown) => (typeof o === "object" && o !== null && typeof (o as { value?: unknown }).value === "string" ? reverse((o as { value: string }).value) : null);
  switch (field.type) {
    case "text":
      return typeof raw === "string" ? raw : String(raw);
    case "textarea":
      return jiraBodyToMarkdown(raw);
    case "number":
      return typeof raw === "number" ? raw : Number(raw);
    case "select":
      return optionValue(raw);
    case "multiselect":
      return Array.isArray(raw) ? raw.map(optionValue).filter((v) => v !== null) : [];
    case "labels":
      return Array.isArray(raw) ? raw.filter((v) => typeof v === "string") : [];
    case "date":
      return typeof raw === "string" ? raw.slice(0, 10) : null;
  }
}

function localLabels(ticket: TicketForJira, mapping: JiraMapping): string[] {
  const labels = new Set(mapping.labels.static);
  if (mapping.labels.fromTags) for (const tag of ticket.tags) if (toLabel(tag)) labels.add(toLabel(tag));
  return [...labels].sort();
}

/** Jira caps summaries at 255 characters on one line. */
export const toSummary = (subject: string) => subject.replace(/\s+/g, " ").trim().slice(0, 255);

/** An issue type as the create body names it: by id when it is one, else by name. */
export const issueTypeRef = (issueType: string) => (/^\d+$/.test(issueType) ? { id: issueType } : { name: issueType });

/**
 * The create-issue body for a ticket. Only what the mapping names leaves Switchboard: summary,
 * description, priority, labels and the mapped custom fields — never the requester or other
 * customer data the mapping does not list (the support-backend security note). The marker label
 * and entity property let a retried create find the issue instead of making a second one.
 */
export function buildCreateIssuePayload(ticket: TicketForJira, mapping: JiraMapping, target: JiraTarget): CreateIssuePayload {
  const fields: Record<string, unknown> = {
    project: { key: target.projectKey },
    issuetype: issueTypeRef(target.issueType),
    summary: toSummary(ticket.subject),
    description: markdownToJira(ticket.description, target.deployment),
    priority: { id: jiraPriorityIdFor(ticket.priority, mapping) },
    labels: [...localLabels(ticket, mapping), markerFor(ticket.id, mapping, target.projectKey).label],
  };
  for (const field of mapping.customFields) {
    const value = customFieldToJira(field, sourceValue(ticket, field.source), target.deployment);
    if (value !== undefined) fields[field.jiraField] = value;
  }
  return { fields, properties: [{ key: mapping.marker.propertyKey, value: { ticketId: ticket.id, ticketNumber: ticket.number } }] };
}

// ── sync values, snapshots and the diff ─────────────────────────────────────────────────────────

/** A mapped field's value in ticket terms: text is Markdown, status and priority are ticket values. */
export type SyncValue = string | number | null | string[] | number[] | { [key: string]: unknown } | unknown[];
export type SyncValues = Record<string, SyncValue>;

/**
 * What both sides held at the last sync. Each side is kept in its own terms because conversions
 * are lossy (Markdown → ADF → Markdown is not the identity): "did Jira change?" compares Jira's
 * reading with Jira's reading, "did the ticket change?" the ticket's with the ticket's.
 */
export type SyncSnapshot = { remote: SyncValues; local: SyncValues; syncedAt: string };

export function mappedFields(mapping: JiraMapping): string[] {
  return [...builtInFields, ...mapping.customFields.map((f) => `custom.${f.key}`)];
}

export function ownerOf(field: string, mapping: JiraMapping): FieldOwner {
  return mapping.ownership[field] ?? defaultOwnership[field] ?? "ticket";
}

function userIdentity(user: JiraIssueView["assignee"]): string | null {
  if (!user) return null;
  if (user.emailAddress && user.emailAddress.includes("@")) return user.emailAddress.toLowerCase();
  if (user.accountId) return `accountId:${user.accountId}`;
  if (user.name) return `name:${user.name}`;
  return null;
}

/** The issue's mapped fields in ticket terms. */
export function remoteSyncValues(issue: JiraIssueView, mapping: JiraMapping): SyncValues {
  const markerPrefix = mapping.marker.labelPrefix;
  const values: SyncValues = {
    summary: issue.summary,
    description: jiraBodyToMarkdown(issue.description),
    priority: ticketPriorityFor(issue.priority?.id, mapping),
    status: ticketStatusFor(issue.status, mapping),
    assignee: userIdentity(issue.assignee),
    labels: issue.labels.filter((l) => !l.startsWith(markerPrefix)).sort(),
  };
  for (const field of mapping.customFields) values[`custom.${field.key}`] = customFieldFromJira(field, issue.fields[field.jiraField]) as SyncValue;
  return values;
}

/** The ticket's mapped fields. */
export function localSyncValues(ticket: TicketForJira, mapping: JiraMapping): SyncValues {
  const values: SyncValues = {
    summary: ticket.subject,
    description: ticket.description,
    priority: ticket.priority,
    status: ticket.status,
    assignee: ticket.assigneeEmail ? ticket.assigneeEmail.toLowerCase() : null,
    labels: localLabels(ticket, mapping),
  };
  for (const field of mapping.customFields) {
    const raw = sourceValue(ticket, field.source);
    values[`custom.${field.key}`] = (raw === undefined || raw === "" ? null : raw) as SyncValue;
  }
  return values;
}

/** What Jira will read back after we push `local`, so the snapshot predicts our own echo. */
export function expectedRemoteAfterPush(local: SyncValues, mapping: JiraMapping, deployment: JiraDeployment): SyncValues {
  const out: SyncValues = { ...local };
  if (typeof local.summary === "string") out.summary = toSummary(local.summary);
  if (typeof local.description === "string") out.description = jiraBodyToMarkdown(markdownToJira(local.description, deployment));
  if (typeof local.priority === "string") out.priority = ticketPriorityFor(jiraPriorityIdFor(local.priority as TicketPriority, mapping), mapping);
  if (typeof local.status === "string") {
    const target = jiraStatusTargetFor(local.status as TicketStatus, mapping);
    out.status = target ? ticketStatusFor("statusId" in target ? { id: target.statusId, categoryKey: "" } : { id: "", categoryKey: target.categoryKey }, mapping) : null;
  }
  for (const field of mapping.customFields) {
    const key = `custom.${field.key}`;
    out[key] = customFieldFromJira(field, customFieldToJira(field, local[key], deployment)) as SyncValue;
  }
  return out;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify(value.map(canonical).sort());
  if (typeof value === "object" && value !== null) {
    return JSON.stringify(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]));
  }
  if (typeof value === "string") return JSON.stringify(value.replace(/\r\n/g, "\n").trim());
  return JSON.stringify(value ?? null);
}

export function sameSyncValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

export type SyncConflict = { field: string; winner: "ticket" | "jira"; ticketValue: SyncValue; jiraValue: SyncValue };

export type SyncPlan = {
  /** Jira holds exactly what the snapshot says: our own echo or a change to unmapped fields. */
  echo: boolean;
  /** Fields to write on the ticket, in ticket terms. */
  toTicket: SyncValues;
  /** Fields to write to Jira, in ticket terms (the outbound step converts them). */
  toJira: SyncValues;
  /** Both sides changed the same two-way field; the later writer wins (ties go to the ticket). */
  conflicts: SyncConflict[];
  /** Store this once the plan has been carried out. */
  nextSnapshot: SyncSnapshot;
};

/**
 * Three-way diff of the issue and the ticket against the last-synced snapshot (DESIGN.md §7).
 * Jira-owned fields flow to the ticket, ticket-owned fields to Jira, two-way fields go the way
 * the change went, and when both changed the later writer wins. Nothing flows when the two sides
 * already agree, which also absorbs echoes the snapshot could not predict exactly.
 */
export function diffAgainstSnapshot(input: {
  remote: SyncValues;
  remoteUpdatedAt: Date | null;
  local: SyncValues;
  /** One time for the whole ticket, or per field when the history says when each changed. */
  localUpdatedAt: Date | Partial<Record<string, Date>>;
  snapshot: SyncSnapshot | null;
  mapping: JiraMapping;
  deployment: JiraDeployment;
  now: Date;
}): SyncPlan {
  const { remote, local, snapshot, mapping } = input;
  const expected = expectedRemoteAfterPush(local, mapping, input.deployment);
  const plan: SyncPlan = { echo: false, toTicket: {}, toJira: {}, conflicts: [], nextSnapshot: { remote: {}, local: {}, syncedAt: input.now.toISOString() } };
  let remoteChangedAny = false;
  const localTime = (field: string) => (input.localUpdatedAt instanceof Date ? input.localUpdatedAt : input.localUpdatedAt[field]) ?? null;

  for (const field of mappedFields(mapping)) {
    const r = remote[field] ?? null;
    const l = local[field] ?? null;
    const remoteChanged = snapshot ? !sameSyncValue(r, snapshot.remote[field] ?? null) : true;
    const localChanged = snapshot ? !sameSyncValue(l, snapshot.local[field] ?? null) : true;
    if (snapshot && remoteChanged) remoteChangedAny = true;
    let direction: "ticket" | "jira" | null = null;
    if (!sameSyncValue(r, expected[field] ?? null)) {
      const owner = ownerOf(field, mapping);
      if (owner === "jira") direction = remoteChanged ? "ticket" : null;
      else if (owner === "ticket") direction = localChanged ? "jira" : null;
      else if (remoteChanged && !localChanged) direction = "ticket";
      else if (localChanged && !remoteChanged) direction = "jira";
      else if (remoteChanged && localChanged) {
        const rt = input.remoteUpdatedAt?.getTime() ?? -Infinity;
        const lt = localTime(field)?.getTime() ?? -Infinity;
        direction = rt > lt ? "ticket" : "jira";
        // `direction` is where the value flows; the winner is the side it comes from.
        if (snapshot) plan.conflicts.push({ field, winner: direction === "ticket" ? "jira" : "ticket", ticketValue: l, jiraValue: r });
      }
    }
    // A Jira value the mapping cannot express (unmapped status or priority) never reaches the ticket.
    if (direction === "ticket" && r === null && (field === "status" || field === "priority")) direction = null;
    if (direction === "jira" && field === "status" && expected.status === null) direction = null;
    if (direction === "ticket") {
      plan.toTicket[field] = r;
      plan.nextSnapshot.remote[field] = r;
      plan.nextSnapshot.local[field] = r;
    } else if (direction === "jira") {
      plan.toJira[field] = l;
      plan.nextSnapshot.remote[field] = expected[field] ?? null;
      plan.nextSnapshot.local[field] = l;
    } else {
      plan.nextSnapshot.remote[field] = r;
      plan.nextSnapshot.local[field] = l;
    }
  }
  plan.echo = snapshot !== null && !remoteChangedAny;
  return plan;
}
