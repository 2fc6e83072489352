import { z } from "zod";
import { statusCategoryKeys } from "../types.js";

export const customerLinkStrategies = ["label", "custom_field", "component", "jql"] as const;
export type CustomerLinkStrategy = (typeof customerLinkStrategies)[number];
export const customerLinkTypes = ["affected", "requested", "watching"] as const;
export type CustomerLinkType = (typeof customerLinkTypes)[number];

const ZCustomFieldId = z.string().regex(/^customfield_\d+$/, "a custom field id such as customfield_10050");

/**
 * How the connection finds which customers an issue concerns (the CSM requirements' FR-3), kept
 * in the connection's settings under `customers`. `strategy` is the default for organizations
 * that set no match of their own; `labelPrefix` makes the default label `customer_<slug>`.
 * `developmentStatusIds` are the statuses that mean "moved to development" (when empty, entering
 * the In Progress category does). `statusLimits` are the time-in-status targets, by status id or
 * by category; an issue that sits longer than its limit raises one alert per stay.
 */
export const ZCustomerLinkSettings = z
  .strictObject({
    strategy: z.enum(customerLinkStrategies).default("label"),
    labelPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{0,40}$/, "letters, digits, _ . - only (Jira labels have no spaces)")
      .default("customer_"),
    customField: ZCustomFieldId.optional(),
    defaultLinkType: z.enum(customerLinkTypes).default("affected"),
    developmentStatusIds: z.array(z.string().min(1).max(40)).max(50).default([]),
    statusLimits: z
      .array(
        z
          .strictObject({ statusId: z.string().min(1).max(40).optional(), category: z.enum(statusCategoryKeys).optional(), hours: z.number().positive().max(24 * 365) })
          .refine((l) => (l.statusId === undefined) !== (l.category === undefined), "give either statusId or category"),
      )
      .max(100)
      .default([]),
  })
  .refine((s) => s.strategy !== "custom_field" || s.customField !== undefined, { message: "the custom_field strategy needs customField", path: ["customField"] });
export type CustomerLinkSettings = z.output<typeof ZCustomerLinkSettings>;

/** The settings as the API answers them (defaults applied). */
export const ZCustomerLinkSettingsOut = z.object({
  strategy: z.enum(customerLinkStrategies),
  labelPrefix: z.string(),
  customField: z.string().optional(),
  defaultLinkType: z.enum(customerLinkTypes),
  developmentStatusIds: z.array(z.string()),
  statusLimits: z.array(z.object({ statusId: z.string().optional(), category: z.enum(statusCategoryKeys).optional(), hours: z.number() })),
});

/** The stored settings, or the defaults when an admin has not set any (or they no longer parse). */
export function customerSettingsOf(settings: Record<string, unknown>): CustomerLinkSettings {
  const parsed = ZCustomerLinkSettings.safeParse(settings.customers ?? {});
  return parsed.success ? parsed.data : ZCustomerLinkSettings.parse({});
}

/** The time limit for a status: a limit naming the status id wins over one naming its category. */
export function statusLimitHours(settings: CustomerLinkSettings, status: { id: string | null; category: string | null }): number | null {
  const byId = status.id ? settings.statusLimits.find((l) => l.statusId === status.id) : undefined;
  if (byId) return byId.hours;
  const byCategory = status.category ? settings.statusLimits.find((l) => l.category === status.category) : undefined;
  return byCategory?.hours ?? null;
}
