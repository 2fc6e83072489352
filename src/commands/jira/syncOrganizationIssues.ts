import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { organizations } from "../../db/schema/index.js";
import { pruneOrganizationLinks } from "../../db/repositories/jiraIssues.js";
import { updateConnection } from "../../db/repositories/connections.js";
import { AppError, notFound } from "../../errors.js";
import { customerSettingsOf } from "../../connectors/jira/customers/customerSettings.js";
import { customerIssueFields, toIssueRecord } from "../../connectors/jira/customers/issueRecord.js";
import { matchRule, organizationJql } from "../../connectors/jira/customers/organizationMatch.js";
import type { JiraRuntime } from "../../connectors/jira/runtime.js";
import { storeCustomerIssue } from "./storeCustomerIssue.js";

export type OrganizationSyncResult = { organizationId: string; jql: string; issues: number; added: number; linked: number; unlinked: number; ms: number };

/** One search page per transaction: big enough to be quick, small enough not to hold locks long. */
const PAGE_SIZE = 100;

/**
 * Pulls every Jira issue that matches an organization (label, custom field, component or its
 * saved JQL), stores them, links them, and unlinks the ones a search no longer returns (links a
 * person or an approved request made stay). Notices go to the CSM for what changed since the
 * last sync. The CSM requirements ask for < 5 s per customer: bench/jiraCustomerSync.ts.
 */
export async function syncOrganizationIssues(db: Db, rt: JiraRuntime, organizationId: string, now = new Date()): Promise<OrganizationSyncResult> {
  const started = performance.now();
  const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
  if (!org) throw notFound("organization");
  const settings = customerSettingsOf(rt.row.settings);
  const where = organizationJql(org, settings);
  if (!where) throw new AppError("UNPROCESSABLE", "the organization's Jira match cannot be searched: set a custom field on the connection or a match on the organization", { field: "jiraMatch" });
  const jql = `${where} ORDER BY key ASC`;
  const strategy = matchRule(org, settings).strategy;
  const fields = customerIssueFields(settings, rt.mapping.customFields.map((f) => f.jiraField));
  const customIds = fields.filter((f) => f.startsWith("customfield_"));
  const ctx = { connectionId: rt.row.id, baseUrl: rt.connection.baseUrl, settings, now };
  const seen: string[] = [];
  let added = 0;
  let linked = 0;
  let pageToken: string | null = null;
  do {
    const page = await rt.client.search({ jql, fields, maxResults: PAGE_SIZE, pageToken });
    await db.transaction(async (tx) => {
      for (const raw of page.issues) {
        const stored = await storeCustomerIssue(tx, ctx, toIssueRecord(raw, customIds), [{ organizationId: org.id, strategy }]);
        seen.push(raw.id);
        if (stored.isNew) added++;
        linked += stored.linked;
      }
    });
    pageToken = page.nextPageToken;
  } while (pageToken);
  const unlinked = await pruneOrganizationLinks(db, rt.row.id, org.id, seen);
  await updateConnection(db, rt.row.id, { lastSyncAt: now });
  return { organizationId: org.id, jql, issues: seen.length, added, linked, unlinked, ms: Math.round(performance.now() - started) };
}
