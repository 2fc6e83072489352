import type { Db } from "../../db/client.js";
import { organizations } from "../../db/schema/index.js";
import { findJiraIssue, markJiraIssueDeleted } from "../../db/repositories/jiraIssues.js";
import type { Logger } from "../../logger.js";
import { customerSettingsOf, type CustomerLinkSettings, type CustomerLinkStrategy } from "../../connectors/jira/customers/customerSettings.js";
import { customerIssueFields, toIssueRecord } from "../../connectors/jira/customers/issueRecord.js";
import { matchRule, organizationsMatchingIssue, type OrganizationForMatch } from "../../connectors/jira/customers/organizationMatch.js";
import { isJiraError } from "../../connectors/jira/errors.js";
import type { JiraRuntime } from "../../connectors/jira/runtime.js";
import { storeCustomerIssue } from "./storeCustomerIssue.js";

/** Strategies decided from the issue's own fields; a saved JQL needs a search. */
const fieldStrategies: readonly CustomerLinkStrategy[] = ["label", "component", "custom_field"];

export function organizationsForMatch(db: Db): Promise<OrganizationForMatch[]> {
  return db.select({ id: organizations.id, slug: organizations.slug, jiraMatch: organizations.jiraMatch }).from(organizations);
}

type MatchValues = { labels: string[]; components: string[]; customFields: Record<string, unknown> };

/** What a webhook body's issue fields offer to match organizations on; null when nothing (most events). */
export function matchValuesOf(settings: CustomerLinkSettings, fields: Record<string, unknown> | null): MatchValues | null {
  if (!fields) return null;
  const labels = Array.isArray(fields.labels) ? fields.labels.filter((l): l is string => typeof l === "string") : [];
  const components = Array.isArray(fields.components) ? fields.components.flatMap((c) => (typeof c === "object" && c && "name" in c && typeof c.name === "string" ? [c.name] : [])) : [];
  const hasCustomerValue = settings.customField !== undefined && fields[settings.customField] != null;
  if (labels.length === 0 && components.length === 0 && !hasCustomerValue) return null;
  return { labels, components, customFields: fields };
}

/**
 * Whether a webhook's issue concerns customers: we already track it, or its labels, components or
 * customer field (as the body has them) match an organization. Only then is it fetched.
 */
export async function concernsCustomers(db: Db, rt: Pick<JiraRuntime, "row">, ref: { id: string | null; key: string | null }, fields: Record<string, unknown> | null): Promise<boolean> {
  if (await findJiraIssue(db, rt.row.id, ref)) return true;
  const settings = customerSettingsOf(rt.row.settings);
  const values = matchValuesOf(settings, fields);
  return values !== null && organizationsMatchingIssue(values, await organizationsForMatch(db), settings).length > 0;
}

/**
 * A webhook said a customer-relevant issue changed: fetch it as Jira holds it now, store it, link
 * it to the organizations its fields match (and unlink ones it no longer matches), and tell the
 * CSMs. A deleted issue is marked so and leaves the organizations' lists.
 */
export async function refreshCustomerIssue(db: Db, rt: JiraRuntime, ref: { id: string | null; key: string | null }, options: { deleted?: boolean; log?: Logger; now?: Date } = {}): Promise<"stored" | "deleted"> {
  const now = options.now ?? new Date();
  if (options.deleted) {
    await markJiraIssueDeleted(db, rt.row.id, ref, now);
    return "deleted";
  }
  const settings = customerSettingsOf(rt.row.settings);
  const fields = customerIssueFields(settings, rt.mapping.customFields.map((f) => f.jiraField));
  let raw;
  try {
    raw = await rt.client.getIssue(ref.id ?? ref.key!, { fields });
  } catch (e) {
    if (isJiraError(e) && e.kind === "not_found") {
      await markJiraIssueDeleted(db, rt.row.id, ref, now);
      options.log?.debug({ issue: ref }, "customer-linked Jira issue is gone; marked deleted");
      return "deleted";
    }
    throw e;
  }
  const rec = toIssueRecord(raw, fields.filter((f) => f.startsWith("customfield_")));
  const orgs = await organizationsForMatch(db);
  const matchedIds = new Set(organizationsMatchingIssue(rec, orgs, settings));
  const matched = orgs.filter((o) => matchedIds.has(o.id)).map((o) => ({ organizationId: o.id, strategy: matchRule(o, settings).strategy }));
  await db.transaction((tx) => storeCustomerIssue(tx, { connectionId: rt.row.id, baseUrl: rt.connection.baseUrl, settings, now }, rec, matched, fieldStrategies));
  return "stored";
}
