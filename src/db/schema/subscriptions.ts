import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./people.js";
import { tickets } from "./tickets.js";

/**
 * "Alert me when…": a person follows a ticket, or a remote object such as a Jira issue key
 * (`external_system` + `external_key`), which the connector for that system fires when it syncs.
 * `notify_on` is `resolved` (only when it is resolved or closed) or `updates` (every status
 * change and public reply; staff followers also hear of notes).
 */
export const subscriptions = pgTable(
  "subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "cascade" }),
    externalSystem: text("external_system"),
    externalKey: text("external_key"),
    notifyOn: text("notify_on").notNull().default("updates"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("subscriptions_user_ticket_idx").on(t.userId, t.ticketId),
    uniqueIndex("subscriptions_user_external_idx").on(t.userId, t.externalSystem, t.externalKey),
    // Firing looks followers up by what changed, never by person.
    index("subscriptions_ticket_idx").on(t.ticketId),
    index("subscriptions_external_idx").on(t.externalSystem, t.externalKey),
    check("subscriptions_one_target", sql`(${t.ticketId} IS NOT NULL) <> (${t.externalSystem} IS NOT NULL AND ${t.externalKey} IS NOT NULL)`),
    check("subscriptions_notify_on", sql`${t.notifyOn} IN ('resolved', 'updates')`),
  ],
);
