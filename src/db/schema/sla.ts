import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Calendar } from "../../domain/sla/calendar.js";
import type { PolicyDefinition } from "../../domain/sla/policy.js";
import { tickets } from "./tickets.js";
import { users } from "./people.js";

export const slaCalendars = pgTable("sla_calendars", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  definition: jsonb("definition").$type<Calendar>().notNull(),
  isDefault: boolean("is_default").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const slaPolicies = pgTable("sla_policies", {
  id: uuid("id").primaryKey().defaultRandom(),
  currentVersion: integer("current_version").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Versions are immutable. Each pins the calendar as it was when the version was saved, so a
 * ticket's clocks can be recomputed years later exactly as they ran (a contract dispute's question).
 */
export const slaPolicyVersions = pgTable(
  "sla_policy_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    policyId: uuid("policy_id")
      .notNull()
      .references(() => slaPolicies.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    definition: jsonb("definition").$type<PolicyDefinition>().notNull(),
    calendar: jsonb("calendar").$type<Calendar>().notNull(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("sla_policy_versions_policy_version_idx").on(t.policyId, t.version)],
);

/** One row per ticket and metric: a cache of computeClocks over the ticket's events. */
export const slaClocks = pgTable(
  "sla_clocks",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    state: text("state").notNull(),
    policyVersionId: uuid("policy_version_id")
      .notNull()
      .references(() => slaPolicyVersions.id),
    targetSeconds: integer("target_seconds").notNull(),
    consumedSeconds: integer("consumed_seconds").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }),
    breachedAt: timestamp("breached_at", { withTimezone: true }),
    metAt: timestamp("met_at", { withTimezone: true }),
    warnedAt: jsonb("warned_at").$type<Record<string, string>>().notNull().default({}),
    nextCheckAt: timestamp("next_check_at", { withTimezone: true }),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("sla_clocks_ticket_metric_idx").on(t.ticketId, t.metric),
    // The sweeper reads only what is due: its cost follows the due clocks, not the ticket count.
    index("sla_clocks_next_check_idx").on(t.nextCheckAt).where(sql`next_check_at is not null`),
  ],
);

/** In-app notifications. `deliverAfter` holds back ones a policy keeps to working hours. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    deliverAfter: timestamp("deliver_after", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.createdAt),
    // Deleting a ticket cascades here; without an index every delete scans all notifications.
    index("notifications_ticket_idx").on(t.ticketId),
  ],
);
