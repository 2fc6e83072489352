import { eq } from "drizzle-orm";
import { z } from "zod";
import { jiraIssueRequests, organizations } from "../../../db/schema/index.js";
import { findConnectionById } from "../../../db/repositories/connections.js";
import { linkCustomer } from "../../../db/repositories/jiraIssues.js";
import { defineJob, PermanentJobError } from "../../../jobs/defineJob.js";
import { systemActor } from "../../../domain/systemActor.js";
import { notifyPeople } from "../../../commands/notifications/notifyPeople.js";
import { linkJiraIssue } from "../../../commands/jira/linkJiraIssue.js";
import { storeCustomerIssue } from "../../../commands/jira/storeCustomerIssue.js";
import { contextMarkdown } from "../../../commands/jira/requests/draftCustomerIssue.js";
import { JIRA_CHANNEL } from "../constants.js";
import { customerSettingsOf } from "../customers/customerSettings.js";
import { customerIssueFields, toIssueRecord } from "../customers/issueRecord.js";
import { matchRule } from "../customers/organizationMatch.js";
import { isJiraError } from "../errors.js";
import { browseUrl } from "../issueFields.js";
import { currentJiraSettings } from "../jiraSettings.js";
import { issueTypeRef, toSummary } from "../mapping.js";
import { markdownToJira } from "../text.js";
import { openForJob } from "../settleFailure.js";
import type { JiraJobOptions } from "./syncTicketJob.js";

export const ZCreateRequestedIssue = z.object({ requestId: z.uuid() });

/** Our label on an issue made from a request: a retried create finds it instead of making another. */
export const requestMarker = (requestId: string) => `switchboard-request-${requestId.slice(0, 8)}${requestId.slice(-4)}`;

/**
 * `jira.create-requested-issue`: creates the issue an admin approved, with the customer's match
 * (label, custom field or component) so the customer sync keeps finding it, links the
 * organization as `requested` (or the type asked for) and the tickets named, and tells the
 * requester. The create is a durable step behind a marker label, so a crash between create and
 * record does not make a second issue.
 */
export function createCreateRequestedIssueJob(options: JiraJobOptions = {}) {
  const settingsOf = options.settings ?? currentJiraSettings;
  return defineJob({
    name: "jira.create-requested-issue",
    payload: ZCreateRequestedIssue,
    retry: { retryLimit: 8, retryDelaySeconds: 30, retryDelayMaxSeconds: 3600, ...options.retry },
    expireInSeconds: 10 * 60,
    async handler({ requestId }, ctx) {
      const [request] = await ctx.db.select().from(jiraIssueRequests).where(eq(jiraIssueRequests.id, requestId));
      if (!request || request.status !== "approved") return;
      const row = await findConnectionById(ctx.db, request.connectionId);
      if (!row) throw new PermanentJobError("the Jira connection was deleted");
      if (row.status !== "active") throw new Error(`waiting: the Jira connection is ${row.status}`);
      const [org] = await ctx.db.select().from(organizations).where(eq(organizations.id, request.organizationId));
      if (!org) throw new PermanentJobError("the organization was deleted");
      const settings = settingsOf();
      const rt = await openForJob(ctx.db, row, { secretKey: settings.secretKey, log: ctx.log });
      if (!rt) throw new Error("waiting: the Jira connection cannot be opened and was paused");
      const customers = customerSettingsOf(row.settings);
      const rule = matchRule(org, customers);
      const marker = requestMarker(request.id);

      let created: { id: string; key: string };
      try {
        created = await ctx.step(
          "create-issue",
          async () => {
            const found = await rt.client.findIssueByMarker({ projectKey: rt.connection.projectKey, label: marker, propertyKey: rt.mapping.marker.propertyKey, ticketId: request.id });
            if (found) return { id: found.id, key: found.key };
            const context = request.context as { openTickets?: { id: string; number: string; subject: string; priority: string }[] };
            const named = (context.openTickets ?? []).filter((t) => request.ticketIds.includes(t.id));
            const description = [request.description, "", contextMarkdown(org.name, named)].join("\n").trim();
            const fields: Record<string, unknown> = {
              project: { key: rt.connection.projectKey },
              issuetype: issueTypeRef(request.issueType ?? rt.connection.issueType),
              summary: toSummary(request.summary),
              description: markdownToJira(description, rt.connection.deployment),
              labels: [marker, ...(rule.strategy === "label" ? [rule.value] : [])],
              ...(request.priority ? { priority: { name: request.priority } } : {}),
              ...(rule.strategy === "component" ? { components: [{ name: rule.value }] } : {}),
              ...(rule.strategy === "custom_field" && customers.customField ? { [customers.customField]: rule.value } : {}),
            };
            const issue = await rt.client.createIssue({ fields });
            return { id: issue.id, key: issue.key };
          },
          { isTransactional: false },
        );
      } catch (e) {
        if (isJiraError(e) && !e.retryable && !e.pausesConnection) {
          await ctx.db.update(jiraIssueRequests).set({ status: "failed", error: e.message }).where(eq(jiraIssueRequests.id, request.id));
          throw new PermanentJobError(`Jira refused the issue: ${e.message}`);
        }
        throw e;
      }

      const fieldsWanted = customerIssueFields(customers);
      const raw = await rt.client.getIssue(created.id, { fields: fieldsWanted });
      await ctx.step("record", async ({ db }) => {
        const now = new Date();
        await storeCustomerIssue(db, { connectionId: row.id, baseUrl: rt.connection.baseUrl, settings: customers, now }, toIssueRecord(raw, fieldsWanted.filter((f) => f.startsWith("customfield_"))), []);
        await linkCustomer(db, { connectionId: row.id, organizationId: org.id, remoteId: created.id, remoteKey: created.key, linkType: request.linkType, strategy: "request" });
        await db.update(jiraIssueRequests).set({ status: "created", remoteId: created.id, remoteKey: created.key, error: null }).where(eq(jiraIssueRequests.id, request.id));
        const told = [request.requestedById, org.ownerId].filter((id): id is string => id !== null);
        await notifyPeople(db, told, {
          kind: "jira.issue_request_created",
          ticketId: null,
          title: `${created.key} was created in Jira for ${org.name}: ${request.summary}`,
          data: { requestId: request.id, key: created.key, url: browseUrl(rt.connection.baseUrl, created.key), organizationId: org.id },
          deliverAfter: now,
        });
      });
      for (const ticketId of request.ticketIds) {
        await ctx.step(`link:${ticketId}`, async () => {
          try {
            await linkJiraIssue({ db: ctx.db, settings, actor: systemActor, ticketRef: ticketId, key: created.key, channel: JIRA_CHANNEL, log: ctx.log });
          } catch (e) {
            // Already linked (a repeated step) or the ticket is gone: neither should fail the request.
            ctx.log.info({ ticketId, key: created.key, err: e }, "ticket not linked to the requested issue");
          }
        }, { isTransactional: false });
      }
    },
  });
}

export const createRequestedIssueJob = createCreateRequestedIssueJob();
