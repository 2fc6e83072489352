import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { externalLinks } from "../../db/schema/index.js";
import { linkCustomer, pruneIssueLinks, upsertJiraIssue, type JiraIssueRow } from "../../db/repositories/jiraIssues.js";
import type { CustomerLinkSettings, CustomerLinkStrategy } from "../../connectors/jira/customers/customerSettings.js";
import type { IssueRecord } from "../../connectors/jira/customers/issueRecord.js";
import { browseUrl } from "../../connectors/jira/issueFields.js";
import { noticeCustomerIssueChange } from "./noticeCustomerIssueChange.js";

export type CustomerIssueContext = { connectionId: string; baseUrl: string; settings: CustomerLinkSettings; now: Date };

/**
 * One issue as a customer sync sees it, inside the caller's transaction: store it (with its
 * status history), link it to the organizations it matched, drop field-matched links it no
 * longer matches when the caller says which strategies it decided, and tell the CSMs what
 * changed.
 */
export async function storeCustomerIssue(
  tx: Executor,
  ctx: CustomerIssueContext,
  rec: IssueRecord,
  matched: { organizationId: string; strategy: CustomerLinkStrategy }[],
  decided: readonly CustomerLinkStrategy[] = [],
): Promise<{ issue: JiraIssueRow; isNew: boolean; linked: number }> {
  const { before, after } = await upsertJiraIssue(tx, ctx.connectionId, rec, ctx.now);
  let linked = 0;
  for (const m of matched) {
    if ((await linkCustomer(tx, { connectionId: ctx.connectionId, organizationId: m.organizationId, remoteId: rec.remoteId, remoteKey: rec.remoteKey, linkType: ctx.settings.defaultLinkType, strategy: m.strategy })).isNew) linked++;
  }
  if (decided.length > 0) await pruneIssueLinks(tx, ctx.connectionId, rec.remoteId, matched.map((m) => m.organizationId), decided);
  if (before && before !== after) {
    const ticketLinks = await tx
      .select({ id: externalLinks.id })
      .from(externalLinks)
      .where(and(eq(externalLinks.connectionId, ctx.connectionId), inArray(externalLinks.remoteId, [rec.remoteId])))
      .limit(1);
    await noticeCustomerIssueChange(tx, { connectionId: ctx.connectionId, before, after, settings: ctx.settings, url: browseUrl(ctx.baseUrl, rec.remoteKey), hasTicketLinks: ticketLinks.length > 0, now: ctx.now });
  }
  return { issue: after, isNew: before === null, linked };
}
