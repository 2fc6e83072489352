import { pgEnum } from "drizzle-orm/pg-core";

// PostgreSQL enums sort by declaration order, so ORDER BY priority ranks low < urgent.
export const roleEnum = pgEnum("user_role", ["admin", "agent", "customer"]);
export const ticketStatusEnum = pgEnum("ticket_status", [
  "open",
  "in_progress",
  "waiting_on_customer",
  "pending_approval",
  "blocked",
  "resolved",
  "closed",
]);
export const ticketPriorityEnum = pgEnum("ticket_priority", ["low", "medium", "high", "urgent"]);
export const ticketSourceEnum = pgEnum("ticket_source", [
  "portal",
  "api",
  "email",
  "whatsapp",
  "qcontact",
  "jira",
  "slack",
  "helpscout",
  "internal",
]);
export const tokenKindEnum = pgEnum("token_kind", ["session", "api", "invite", "password_reset", "magic_link"]);
