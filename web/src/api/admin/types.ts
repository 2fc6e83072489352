/**
 * Shapes of the admin API. SLA definitions come from the server's own zod schemas (type-only,
 * erased from the bundle); the rest mirror /api/openapi.json, because their server modules pull
 * in code the web typecheck cannot see (database, Jira client).
 */
import type { z } from "zod";
import type { ZCalendar } from "../../../../src/domain/sla/calendar.js";
import type { ZPolicyDefinition } from "../../../../src/domain/sla/policy.js";

export type CalendarDefinition = z.output<typeof ZCalendar>;
export type CalendarInput = z.input<typeof ZCalendar>;
export type Holiday = CalendarDefinition["holidays"][number];
export type Week = CalendarDefinition["week"];
export type PolicyDefinition = z.output<typeof ZPolicyDefinition>;
export type PolicyInput = z.input<typeof ZPolicyDefinition>;
export type SlaTarget = NonNullable<PolicyDefinition["targets"]["resolution"]>;

/** `apply` of PUT /sla/policies/{id} and PUT /sla/calendars/{id}. */
export type ApplyMode = "new_tickets" | "rebaseline_open";

export type CalendarRow = { id: string; name: string; isDefault: boolean; definition: CalendarDefinition; updatedAt: string };
export type PolicyRow = { id: string; version: number; definition: PolicyDefinition; createdAt: string };

export type TokenInfo = {
  id: string;
  name: string;
  userId: string;
  userName: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
};
export type NewToken = { id: string; name: string; token: string; userId: string; expiresAt: string | null };

export type Webhook = {
  id: string;
  url: string;
  description: string;
  events: string[];
  active: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  consecutiveFailures: number;
  failingSince: string | null;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
};
export type WebhookWithSecret = Webhook & { secret: string };
export type WebhookAttempt = {
  attemptedAt: string;
  statusCode: number | null;
  durationMs: number;
  success: boolean;
  responseExcerpt: string | null;
  error: string | null;
};
export type WebhookDelivery = {
  id: string;
  webhookId: string;
  event: string;
  status: "pending" | "delivered" | "failed" | "skipped";
  attempts: WebhookAttempt[];
  payload: unknown;
  createdAt: string;
  completedAt: string | null;
};

export type ConnectionCheck = { name: string; result: "ok" | "failed" | "skipped"; message: string };
export type JiraConnection = {
  id: string;
  system: "jira";
  status: string;
  lastError: string | null;
  lastErrorAt: string | null;
  lastSyncAt: string | null;
  syncedUntil: string | null;
  updatedAt: string;
  settings: Record<string, unknown>;
  /** Webhook deliveries stored and not yet processed (GET only). */
  webhookBacklog?: { waiting: number; oldestReceivedAt: string | null };
  secrets: Record<"apiToken" | "token" | "password" | "clientSecret" | "webhookSecret" | "oauthTokens", boolean>;
  webhookUrl: string;
  report?: { ok: boolean; checks: ConnectionCheck[] };
};

export type FailedJob = {
  id: string;
  name: string;
  state: "dead" | "retrying";
  payload: unknown;
  lastError: string | null;
  attempts: number;
  createdAt: string;
  deadLetteredAt: string | null;
  nextAttemptAt: string | null;
};
