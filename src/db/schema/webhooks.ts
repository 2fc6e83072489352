import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./people.js";

/**
 * Outbound webhooks an admin registered (docs/webhooks.md). The signing secret is stored sealed
 * (AES-256-GCM under SWITCHBOARD_SECRET_KEY, bound to the row id), never in plaintext.
 * `consecutive_failures` and `failing_since` describe the current streak of deliveries that failed
 * for good; a successful delivery clears them, and so does re-enabling the webhook.
 */
export const webhooks = pgTable(
  "webhooks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    /** Public event names (src/connectors/webhooks/events.ts). */
    events: text("events").array().notNull(),
    secretSealed: text("secret_sealed").notNull(),
    isActive: boolean("is_active").notNull().default(true),
    disabledReason: text("disabled_reason"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    failingSince: timestamp("failing_since", { withTimezone: true }),
    /** The admin who registered it: the one told when it is disabled. */
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Every ticket change asks "which active webhooks want any of these events?" (events && $1).
    index("webhooks_active_events_idx").using("gin", t.events).where(sql`is_active`),
  ],
);

/**
 * One event to one webhook. The id is the `X-Switchboard-Delivery` header, the same on every
 * attempt and on a redelivery, so receivers can drop duplicates. `facts` is what happened, taken
 * when the change was recorded; `body` is the exact JSON sent (and signed), fixed at the first
 * attempt so retries carry the same bytes.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    facts: jsonb("facts").$type<Record<string, unknown>>().notNull(),
    body: text("body"),
    /** pending | delivered | failed | skipped */
    status: text("status").notNull().default("pending"),
    attemptCount: integer("attempt_count").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    // The delivery log, newest first (keyset on created_at, id); also serves the cascade on delete.
    index("webhook_deliveries_webhook_idx").on(t.webhookId, t.createdAt.desc(), t.id.desc()),
    // Nightly pruning of old log entries.
    index("webhook_deliveries_created_at_idx").on(t.createdAt),
  ],
);

/** Each HTTP request made for a delivery: the log's response codes, timings and excerpts. */
export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull().defaultNow(),
    /** null when no response came (refused, timed out, blocked address). */
    statusCode: integer("status_code"),
    durationMs: integer("duration_ms").notNull(),
    isSuccess: boolean("is_success").notNull(),
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
  },
  (t) => [index("webhook_delivery_attempts_delivery_idx").on(t.deliveryId, t.attemptedAt)],
);
