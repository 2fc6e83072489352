import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./people.js";
import { tickets } from "./tickets.js";

/**
 * Every mail the `email.send` job handed to the SMTP server (status `sent`), or recorded as not
 * sent because no SMTP_URL is configured (status `skipped`). The sent Message-IDs of a ticket,
 * oldest first, are its thread: the next mail's In-Reply-To and References are built from them,
 * and the inbound side will match replies against them.
 */
export const outboundEmails = pgTable(
  "outbound_emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The ticket a ticket mail is about; null for account mails (invitation, password reset, magic link). */
    ticketId: uuid("ticket_id").references(() => tickets.id, { onDelete: "cascade" }),
    /** The person an account mail went to. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** Without the angle brackets. Unique: a retried send records the same id once. */
    messageId: text("message_id").notNull().unique(),
    to: text("to").notNull(),
    /** received | reply | resolved | escalation | invite | password_reset | magic_link */
    kind: text("kind").notNull(),
    /** sent | skipped */
    status: text("status").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("outbound_emails_ticket_idx").on(t.ticketId, t.createdAt), index("outbound_emails_user_idx").on(t.userId)],
);
