import { z } from "zod";
import { ticketPriorities } from "../ticketPriority.js";
import { ticketStatuses, type TicketStatus } from "../ticketStatus.js";
import { ticketSources } from "../ticketNumber.js";

export const slaMetrics = ["first_response", "next_response", "resolution"] as const;
export type SlaMetric = (typeof slaMetrics)[number];

/** Ten years: anything longer is a typo, and the engine refuses to search that far anyway. */
const MAX_TARGET_SECONDS = 10 * 365 * 86_400;

/** By default waiting on the customer (or a third party) stops resolution and next response; first response never pauses. */
export const defaultPauseStatuses: Record<SlaMetric, TicketStatus[]> = {
  first_response: [],
  next_response: ["waiting_on_customer", "blocked"],
  resolution: ["waiting_on_customer", "blocked"],
};

export const ZBreachActions = z.strictObject({
  setPriority: z.enum(ticketPriorities).optional().describe("raise the ticket to this priority (never lowers it)"),
  assignTeamId: z.uuid().optional(),
  addTags: z.array(z.string().trim().min(1).max(50)).max(10).optional(),
});
export type BreachActions = z.infer<typeof ZBreachActions>;

export const ZTarget = z.strictObject({
  seconds: z.number().int().positive("must be positive").max(MAX_TARGET_SECONDS),
  timeMode: z.enum(["business", "calendar"]).default("business"),
  pauseStatuses: z.array(z.enum(ticketStatuses)).max(ticketStatuses.length).optional(),
  warnAt: z
    .array(z.number().int().min(1, "thresholds are 1–99%").max(99, "thresholds are 1–99%"))
    .max(5)
    .default([75, 90]),
  breachActions: ZBreachActions.default({}),
});
export type Target = z.infer<typeof ZTarget>;

export const ZConditions = z.strictObject({
  priority: z.array(z.enum(ticketPriorities)).max(4).optional(),
  category: z.array(z.string().max(64)).max(50).optional(),
  source: z.array(z.enum(ticketSources)).max(ticketSources.length).optional(),
  organizationId: z.array(z.uuid()).max(500).optional(),
  teamId: z.array(z.uuid()).max(100).optional(),
  tag: z.array(z.string().max(50)).max(50).optional(),
  contract: z.array(z.string().max(100)).max(50).optional(),
});
export type Conditions = z.infer<typeof ZConditions>;

export const ZPolicyDefinition = z.strictObject({
  name: z.string().trim().min(1).max(200),
  position: z.number().int().min(0).max(10_000),
  isActive: z.boolean().default(true),
  calendarId: z.uuid().nullable().default(null).describe("null: the default business calendar"),
  conditions: ZConditions.default({}),
  targets: z
    .strictObject({ first_response: ZTarget.optional(), next_response: ZTarget.optional(), resolution: ZTarget.optional() })
    .refine((t) => Object.values(t).some(Boolean), "give at least one metric a target"),
  /** Hold notifications until the calendar's working hours, so nobody is emailed at 3 a.m. */
  notifyInBusinessHoursOnly: z.boolean().default(false),
});
export type PolicyDefinition = z.infer<typeof ZPolicyDefinition>;

/** What a ticket looks like to policy matching. */
export type TicketFacts = {
  priority: string;
  category: string;
  source: string;
  organizationId: string | null;
  teamId?: string | null;
  tags: readonly string[];
  contract?: string | null;
};

/** Every listed condition must hold; an absent or empty list matches anything. */
export function policyMatches(conditions: Conditions, ticket: TicketFacts): boolean {
  const holds = (list: readonly string[] | undefined, value: string | null | undefined) =>
    !list || list.length === 0 || (value !== null && value !== undefined && list.includes(value));
  return (
    holds(conditions.priority, ticket.priority) &&
    holds(conditions.category, ticket.category) &&
    holds(conditions.source, ticket.source) &&
    holds(conditions.organizationId, ticket.organizationId) &&
    holds(conditions.teamId, ticket.teamId) &&
    holds(conditions.contract, ticket.contract) &&
    (!conditions.tag || conditions.tag.length === 0 || conditions.tag.some((t) => ticket.tags.includes(t)))
  );
}

const h = 3600;
/** The Jira support-backend requirements' targets (first response / resolution), in business time. */
export const defaultPolicyTargets: Record<(typeof ticketPriorities)[number], { first: number; resolution: number }> = {
  urgent: { first: 1 * h, resolution: 4 * h },
  high: { first: 4 * h, resolution: 24 * h },
  medium: { first: 8 * h, resolution: 72 * h },
  low: { first: 24 * h, resolution: 7 * 24 * h },
};
