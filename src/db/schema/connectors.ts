import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations, users } from "./people.js";
import { messages, tickets } from "./tickets.js";

/**
 * A configured link to an outside system (Jira, later Slack, Help Scout…). Non-secret settings
 * and the field mapping live in `settings`; credentials (tokens, passwords, OAuth refresh tokens)
 * only in `sealed_secrets`, encrypted with src/crypto/secretBox.ts under `connection:<id>`.
 * `status` is what admins see: `active`, `paused` (by an admin), `auth_failed` and
 * `mapping_invalid` (work waits until someone fixes it), `revoked` (OAuth grant withdrawn).
 */
export const connections = pgTable(
  "connections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    system: text("system").notNull(),
    name: text("name").notNull(),
    status: text("status").notNull().default("active"),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    sealedSecrets: text("sealed_secrets"),
    lastError: text("last_error"),
    lastErrorAt: timestamp("last_error_at", { withTimezone: true }),
    lastSyncAt: timestamp("last_sync_at", { withTimezone: true }),
    /** Reconcile watermark: remote objects updated after this were not yet polled. */
    syncedUntil: timestamp("synced_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("connections_system_name_idx").on(t.system, t.name)],
);

/**
 * Ticket ↔ remote object (DESIGN.md §7). Many tickets may share one remote object (one Jira bug
 * hit by several customers), so a link is unique per (connection, remote id, ticket). `snapshot`
 * holds the mapped fields as last synced: diffing against it tells a real remote change from our
 * own echo, and finds conflicts.
 */
export const externalLinks = pgTable(
  "external_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    remoteId: text("remote_id").notNull(),
    remoteKey: text("remote_key"),
    remoteUrl: text("remote_url"),
    remoteStatus: text("remote_status"),
    snapshot: jsonb("snapshot").$type<Record<string, unknown>>().notNull().default({}),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("external_links_remote_ticket_idx").on(t.connectionId, t.remoteId, t.ticketId),
    index("external_links_ticket_idx").on(t.ticketId),
    index("external_links_remote_key_idx").on(t.connectionId, t.remoteKey),
  ],
);

/**
 * Every inbound webhook delivery, stored after its signature is verified and before it is
 * acknowledged, unique per (source, delivery id) so a redelivery is recognised and not processed
 * twice. Processing happens from the queue; `processed_at` marks done, `error` the last failure.
 */
export const inboundEvents = pgTable(
  "inbound_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    source: text("source").notNull(),
    connectionId: uuid("connection_id").references(() => connections.id, { onDelete: "cascade" }),
    deliveryId: text("delivery_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").$type<unknown>().notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * When the dispatcher (jira.dispatch-events) looked at it: the receiver only stores, so a
     * burst costs one insert per delivery and one batch of reads per hundred.
     */
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
    processedAt: timestamp("processed_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
  },
  (t) => [
    uniqueIndex("inbound_events_delivery_idx").on(t.source, t.deliveryId),
    index("inbound_events_pending_idx").on(t.receivedAt).where(sql`${t.processedAt} IS NULL`),
    index("inbound_events_undispatched_idx").on(t.source, t.receivedAt).where(sql`${t.dispatchedAt} IS NULL AND ${t.processedAt} IS NULL`),
  ],
);

/**
 * Jira issue ↔ customer organization (the CSM requirements): many-to-many, typed
 * `affected|requested|watching`, and found by a strategy (`label`, `custom_field`, `component`,
 * `jql`, or `manual`).
 */
export const customerLinks = pgTable(
  "customer_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    remoteId: text("remote_id").notNull(),
    remoteKey: text("remote_key").notNull(),
    linkType: text("link_type").notNull().default("affected"),
    strategy: text("strategy").notNull().default("manual"),
    snapshot: jsonb("snapshot").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("customer_links_unique_idx").on(t.connectionId, t.remoteId, t.organizationId),
    index("customer_links_org_idx").on(t.organizationId),
  ],
);

/**
 * Message ↔ remote comment, both ways: a comment we posted is recognised when its webhook echoes
 * back, and an edited or deleted remote comment finds the note it became. One remote comment on
 * an issue shared by several tickets becomes one note per ticket, hence message_id in the key.
 */
export const externalComments = pgTable(
  "external_comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    remoteIssueId: text("remote_issue_id").notNull(),
    remoteCommentId: text("remote_comment_id").notNull(),
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    /** `outbound` (we posted it) or `inbound` (it came from the remote side). */
    direction: text("direction").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("external_comments_remote_message_idx").on(t.connectionId, t.remoteCommentId, t.messageId),
    index("external_comments_message_idx").on(t.messageId),
  ],
);

/**
 * An OAuth authorization in flight: the `state` we sent (only its hash is stored) and the PKCE
 * verifier, sealed. Spent by the callback; expires after ten minutes.
 */
export const oauthStates = pgTable("oauth_states", {
  stateHash: text("state_hash").primaryKey(),
  connectionId: uuid("connection_id")
    .notNull()
    .references(() => connections.id, { onDelete: "cascade" }),
  sealedVerifier: text("sealed_verifier").notNull(),
  createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
});
