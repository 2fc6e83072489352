import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { connections } from "./connectors.js";
import { organizations, users } from "./people.js";

/**
 * Our copy of a Jira issue that a customer is linked to (the CSM requirements' `jira_issues`):
 * what the organization's issue list and the impact view show without asking Jira, and where the
 * time-in-status clock lives. `status_since` is when the issue entered its current status;
 * `status_alerted_at` is set once the status's time limit has been reported, and cleared on the
 * next transition. `deleted_at` marks an issue the full pass no longer finds in Jira.
 */
export const jiraIssues = pgTable(
  "jira_issues",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    remoteId: text("remote_id").notNull(),
    remoteKey: text("remote_key").notNull(),
    projectKey: text("project_key"),
    summary: text("summary").notNull().default(""),
    issueType: text("issue_type"),
    statusId: text("status_id"),
    statusName: text("status_name"),
    statusCategory: text("status_category"),
    priority: text("priority"),
    assignee: text("assignee"),
    reporter: text("reporter"),
    labels: jsonb("labels").$type<string[]>().notNull().default([]),
    components: jsonb("components").$type<string[]>().notNull().default([]),
    customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default({}),
    remoteCreatedAt: timestamp("remote_created_at", { withTimezone: true }),
    remoteUpdatedAt: timestamp("remote_updated_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    statusSince: timestamp("status_since", { withTimezone: true }),
    statusAlertedAt: timestamp("status_alerted_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    syncedAt: timestamp("synced_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("jira_issues_remote_idx").on(t.connectionId, t.remoteId),
    index("jira_issues_key_idx").on(t.connectionId, t.remoteKey),
    index("jira_issues_status_clock_idx").on(t.statusSince).where(sql`${t.statusAlertedAt} IS NULL AND ${t.deletedAt} IS NULL`),
  ],
);

/**
 * Every status an issue has been in, as we saw it change (webhook, reconcile or changelog on first
 * sync): the time-in-status report is the sum of (left_at or now) − entered_at per status.
 */
export const jiraStatusPeriods = pgTable(
  "jira_status_periods",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    issueId: uuid("issue_id")
      .notNull()
      .references(() => jiraIssues.id, { onDelete: "cascade" }),
    statusId: text("status_id"),
    statusName: text("status_name").notNull(),
    statusCategory: text("status_category"),
    enteredAt: timestamp("entered_at", { withTimezone: true }).notNull(),
    leftAt: timestamp("left_at", { withTimezone: true }),
  },
  (t) => [index("jira_status_periods_issue_idx").on(t.issueId, t.enteredAt)],
);

/**
 * A Jira issue someone asked for from a customer context (the CSM requirements' FR-4): nothing is
 * sent to Jira until an admin approves. `status`: pending → approved → created (or failed, with
 * `error`), or pending → rejected. `context` is the prefill the requester saw (organization,
 * contacts, open tickets) so the approver judges what was asked for.
 */
export const jiraIssueRequests = pgTable(
  "jira_issue_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    requestedById: uuid("requested_by_id").references(() => users.id, { onDelete: "set null" }),
    summary: text("summary").notNull(),
    description: text("description").notNull().default(""),
    issueType: text("issue_type"),
    priority: text("priority"),
    linkType: text("link_type").notNull().default("requested"),
    ticketIds: jsonb("ticket_ids").$type<string[]>().notNull().default([]),
    context: jsonb("context").$type<Record<string, unknown>>().notNull().default({}),
    status: text("status").notNull().default("pending"),
    decidedById: uuid("decided_by_id").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionNote: text("decision_note"),
    remoteId: text("remote_id"),
    remoteKey: text("remote_key"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("jira_issue_requests_status_idx").on(t.status, t.createdAt)],
);
