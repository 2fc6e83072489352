import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { customerLinks, organizations } from "../../db/schema/index.js";
import { notFound } from "../../errors.js";
import { linkCustomer } from "../../db/repositories/jiraIssues.js";
import type { Logger } from "../../logger.js";
import { customerSettingsOf, type CustomerLinkType } from "../../connectors/jira/customers/customerSettings.js";
import { customerIssueFields, toIssueRecord } from "../../connectors/jira/customers/issueRecord.js";
import type { JiraSettings } from "../../connectors/jira/jiraSettings.js";
import { jiraRequestProblem } from "./linkJiraIssue.js";
import { requireJiraRuntime } from "./requireJiraRuntime.js";
import { storeCustomerIssue } from "./storeCustomerIssue.js";

/**
 * A person links an organization to an issue by hand, or changes the type of an existing link
 * (affected, requested, watching). A hand-made link is never removed by a sync.
 */
export async function linkCustomerIssue(options: { db: Db; settings: JiraSettings; key: string; organizationId: string; linkType: CustomerLinkType; log?: Logger }) {
  const { db } = options;
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, options.organizationId));
  if (!org) throw notFound("organization");
  const rt = await requireJiraRuntime(db, options.settings, options.log);
  const settings = customerSettingsOf(rt.row.settings);
  const fields = customerIssueFields(settings, rt.mapping.customFields.map((f) => f.jiraField));
  let raw;
  try {
    raw = await rt.client.getIssue(options.key, { fields });
  } catch (e) {
    throw jiraRequestProblem(e, `issue ${options.key}`);
  }
  const now = new Date();
  return db.transaction(async (tx) => {
    const { issue } = await storeCustomerIssue(tx, { connectionId: rt.row.id, baseUrl: rt.connection.baseUrl, settings, now }, toIssueRecord(raw, fields.filter((f) => f.startsWith("customfield_"))), []);
    const { row: link } = await linkCustomer(
      tx,
      { connectionId: rt.row.id, organizationId: org.id, remoteId: issue.remoteId, remoteKey: issue.remoteKey, linkType: options.linkType, strategy: "manual" },
      { overwrite: true },
    );
    return { issue, link, baseUrl: rt.connection.baseUrl };
  });
}

export async function unlinkCustomerIssue(db: Db, connectionId: string, remoteId: string, organizationId: string): Promise<boolean> {
  const removed = await db
    .delete(customerLinks)
    .where(and(eq(customerLinks.connectionId, connectionId), eq(customerLinks.remoteId, remoteId), eq(customerLinks.organizationId, organizationId)))
    .returning({ id: customerLinks.id });
  return removed.length > 0;
}
