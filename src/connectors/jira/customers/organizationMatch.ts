import { jqlString } from "../client.js";
import type { CustomerLinkSettings, CustomerLinkStrategy } from "./customerSettings.js";

export type OrganizationForMatch = { id: string; slug: string; jiraMatch: { strategy: CustomerLinkStrategy; value: string } | null };

/** What finds an organization's issues: its own match, else the connection's strategy with its slug. */
export function matchRule(org: OrganizationForMatch, settings: CustomerLinkSettings): { strategy: CustomerLinkStrategy; value: string } {
  if (org.jiraMatch) return org.jiraMatch;
  if (settings.strategy === "label") return { strategy: "label", value: `${settings.labelPrefix}${org.slug}` };
  // A custom field or component named after the organization: its slug is the value.
  if (settings.strategy === "jql") return { strategy: "label", value: `${settings.labelPrefix}${org.slug}` };
  return { strategy: settings.strategy, value: org.slug };
}

const cfNumber = (fieldId: string) => fieldId.replace(/^customfield_/, "");

/** The JQL that finds an organization's issues. A saved JQL is wrapped so ORDER BY stays ours. */
export function organizationJql(org: OrganizationForMatch, settings: CustomerLinkSettings): string | null {
  const rule = matchRule(org, settings);
  switch (rule.strategy) {
    case "label":
      return `labels = ${jqlString(rule.value)}`;
    case "component":
      return `component = ${jqlString(rule.value)}`;
    case "custom_field":
      return settings.customField ? `cf[${cfNumber(settings.customField)}] = ${jqlString(rule.value)}` : null;
    case "jql": {
      const withoutOrder = rule.value.replace(/\s+order\s+by\s+[\s\S]*$/i, "").trim();
      return withoutOrder ? `(${withoutOrder})` : null;
    }
  }
}

/** A select custom field arrives as `{ value }`, a text one as a string; a multi-select as a list. */
function customValues(raw: unknown): string[] {
  const one = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : typeof v === "object" && v !== null && "value" in v ? String((v as { value: unknown }).value) : null);
  return (Array.isArray(raw) ? raw.map(one) : [one(raw)]).filter((v): v is string => v !== null);
}

/**
 * The organizations an issue matches, decided from its own fields: what a webhook can tell
 * without a search. Organizations matched by a saved JQL cannot be decided here; the periodic
 * customer sync finds those.
 */
export function organizationsMatchingIssue(
  issue: { labels: string[]; components: string[]; customFields: Record<string, unknown> },
  orgs: OrganizationForMatch[],
  settings: CustomerLinkSettings,
): string[] {
  const labels = new Set(issue.labels.map((l) => l.toLowerCase()));
  const components = new Set(issue.components.map((c) => c.toLowerCase()));
  const custom = settings.customField ? new Set(customValues(issue.customFields[settings.customField]).map((v) => v.toLowerCase())) : new Set<string>();
  return orgs
    .filter((org) => {
      const rule = matchRule(org, settings);
      const value = rule.value.toLowerCase();
      if (rule.strategy === "label") return labels.has(value);
      if (rule.strategy === "component") return components.has(value);
      if (rule.strategy === "custom_field") return custom.has(value);
      return false;
    })
    .map((org) => org.id);
}
