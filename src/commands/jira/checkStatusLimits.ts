import { and, eq, exists, isNotNull, isNull, lt } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { customerLinks, jiraIssues } from "../../db/schema/index.js";
import { linkedOrganizations } from "../../db/repositories/jiraIssues.js";
import type { ConnectionRow } from "../../db/repositories/connections.js";
import { customerSettingsOf, statusLimitHours } from "../../connectors/jira/customers/customerSettings.js";
import { browseUrl } from "../../connectors/jira/issueFields.js";
import { notifyPeople } from "../notifications/notifyPeople.js";

const hoursText = (hours: number) => (hours >= 48 && hours % 24 === 0 ? `${hours / 24} days` : `${hours} h`);

/**
 * The time-in-status SLA (the CSM requirements' FR-7): every customer-linked issue that has sat in
 * its status longer than the limit for that status (by id, else by category) raises one alert to
 * the CSMs of its organizations, once per stay; the next transition re-arms it. The alert is
 * claimed with a conditional update, so two workers running this at once alert once.
 */
export async function checkStatusLimits(db: Db, connection: ConnectionRow, now = new Date()): Promise<{ alerted: string[] }> {
  const settings = customerSettingsOf(connection.settings);
  if (settings.statusLimits.length === 0) return { alerted: [] };
  const shortest = Math.min(...settings.statusLimits.map((l) => l.hours));
  const candidates = await db
    .select()
    .from(jiraIssues)
    .where(
      and(
        eq(jiraIssues.connectionId, connection.id),
        isNull(jiraIssues.statusAlertedAt),
        isNull(jiraIssues.deletedAt),
        isNotNull(jiraIssues.statusSince),
        lt(jiraIssues.statusSince, new Date(now.getTime() - shortest * 3600_000)),
        exists(db.select({ one: customerLinks.id }).from(customerLinks).where(and(eq(customerLinks.connectionId, jiraIssues.connectionId), eq(customerLinks.remoteId, jiraIssues.remoteId)))),
      ),
    );
  const alerted: string[] = [];
  const baseUrl = String((connection.settings as { baseUrl?: unknown }).baseUrl ?? "");
  for (const issue of candidates) {
    const limit = statusLimitHours(settings, { id: issue.statusId, category: issue.statusCategory });
    if (limit === null || now.getTime() - issue.statusSince!.getTime() <= limit * 3600_000) continue;
    await db.transaction(async (tx) => {
      const claimed = await tx
        .update(jiraIssues)
        .set({ statusAlertedAt: now })
        .where(and(eq(jiraIssues.id, issue.id), isNull(jiraIssues.statusAlertedAt), eq(jiraIssues.statusSince, issue.statusSince!)))
        .returning({ id: jiraIssues.id });
      if (claimed.length === 0) return;
      const hours = Math.floor((now.getTime() - issue.statusSince!.getTime()) / 3600_000);
      const orgs = await linkedOrganizations(tx, connection.id, issue.remoteId);
      const url = browseUrl(baseUrl, issue.remoteKey);
      await notifyPeople(
        tx,
        orgs.flatMap((o) => (o.ownerId ? [o.ownerId] : [])),
        {
          kind: "jira.status_limit_exceeded",
          ticketId: null,
          title: `${issue.remoteKey} has been ${issue.statusName ?? "in its status"} for ${hoursText(hours)} (limit ${hoursText(limit)})`,
          data: { key: issue.remoteKey, url, status: issue.statusName, statusId: issue.statusId, since: issue.statusSince!.toISOString(), limitHours: limit },
          deliverAfter: now,
        },
      );
      alerted.push(issue.remoteKey);
    });
  }
  return { alerted };
}
