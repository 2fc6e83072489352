import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { ticketPriorityEnum, ticketSourceEnum, ticketStatusEnum } from "./enums.js";
import { organizations, teams, users } from "./people.js";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** One row per number prefix; the row lock makes numbers gap-free under concurrency. */
export const ticketSequences = pgTable("ticket_sequences", {
  prefix: text("prefix").primaryKey(),
  lastValue: integer("last_value").notNull().default(0),
});

export const tickets = pgTable(
  "tickets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: text("number").notNull().unique(),
    subject: text("subject").notNull(),
    description: text("description").notNull(),
    status: ticketStatusEnum("status").notNull().default("open"),
    priority: ticketPriorityEnum("priority").notNull().default("medium"),
    category: text("category").notNull().default("general"),
    source: ticketSourceEnum("source").notNull(),
    requesterId: uuid("requester_id")
      .notNull()
      .references(() => users.id),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "set null" }),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    customFields: jsonb("custom_fields").$type<Record<string, unknown>>().notNull().default({}),
    isEscalated: boolean("is_escalated").notNull().default(false),
    mergedIntoId: uuid("merged_into_id").references((): AnyPgColumn => tickets.id, { onDelete: "set null" }),
    slaDueAt: timestamp("sla_due_at", { withTimezone: true }),
    firstRespondedAt: timestamp("first_responded_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    searchVector: tsvector("search_vector").generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(subject, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')`,
    ),
  },
  (t) => [
    index("tickets_created_at_idx").on(t.createdAt.desc(), t.id.desc()),
    index("tickets_updated_at_idx").on(t.updatedAt.desc(), t.id.desc()),
    index("tickets_requester_idx").on(t.requesterId, t.createdAt.desc()),
    index("tickets_organization_idx").on(t.organizationId, t.createdAt.desc()),
    index("tickets_assignee_idx").on(t.assigneeId, t.status),
    index("tickets_team_idx").on(t.teamId, t.status),
    index("tickets_status_idx").on(t.status, t.createdAt.desc()),
    index("tickets_tags_idx").using("gin", t.tags),
    index("tickets_search_idx").using("gin", t.searchVector),
    // ON DELETE SET NULL on merged_into_id would otherwise scan the whole table per deleted ticket.
    index("tickets_merged_into_idx").on(t.mergedIntoId).where(sql`merged_into_id is not null`),
    // The agent queue: open work of a priority by SLA due. A plain (priority, status, due)
    // index with an IN list measured 600x slower than this partial one (DESIGN.md §2).
    index("tickets_queue_idx")
      .on(t.priority, t.slaDueAt, t.id)
      .where(sql`status in ('open', 'in_progress', 'waiting_on_customer', 'pending_approval', 'blocked')`),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    isInternal: boolean("is_internal").notNull().default(false),
    channel: text("channel").notNull(),
    externalId: text("external_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    searchVector: tsvector("search_vector").generatedAlwaysAs(sql`to_tsvector('english', coalesce(body, ''))`),
  },
  (t) => [
    index("messages_ticket_idx").on(t.ticketId, t.createdAt),
    index("messages_search_idx").using("gin", t.searchVector),
  ],
);

/** File metadata; the bytes live on disk under their SHA-256, so identical uploads are stored once. */
export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "set null" }),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    isInternal: boolean("is_internal").notNull().default(false),
    uploadedById: uuid("uploaded_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("attachments_ticket_idx").on(t.ticketId)],
);

/** Append-only audit history. Written in the same transaction as the change it records. */
export const ticketEvents = pgTable(
  "ticket_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    channel: text("channel").notNull(),
    type: text("type").notNull(),
    field: text("field"),
    fromValue: jsonb("from_value"),
    toValue: jsonb("to_value"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("ticket_events_ticket_idx").on(t.ticketId, t.id)],
);
