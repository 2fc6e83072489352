import { z } from "zod";
import { findConnectionById } from "../../../db/repositories/connections.js";
import { linksOfRemote } from "../../../db/repositories/externalLinks.js";
import { findInboundEvent, markInboundFailed, markInboundProcessed } from "../../../db/repositories/inboundEvents.js";
import { defineJob } from "../../../jobs/defineJob.js";
import { concernsCustomers, refreshCustomerIssue } from "../../../commands/jira/refreshCustomerIssue.js";
import { syncIssueFromJira } from "../inbound.js";
import { currentJiraSettings } from "../jiraSettings.js";
import { openForJob } from "../settleFailure.js";
import { issueFieldsOfPayload, readJiraPayload, type JiraWebhookEvent } from "../webhook.js";
import type { JiraJobOptions } from "./syncTicketJob.js";

export const ZProcessEvent = z.object({ eventId: z.uuid() });

/** The issue an event is about, by id and/or key; null for events the sync does not use. */
export function issueOfEvent(event: JiraWebhookEvent): { id: string | null; key: string | null } | null {
  switch (event.type) {
    case "issue_created":
    case "issue_updated":
    case "issue_deleted":
      return { id: event.issue.id, key: event.issue.key };
    case "comment_created":
    case "comment_updated":
    case "comment_deleted":
    case "attachment_created":
    case "attachment_deleted":
      return event.issue ? { id: event.issue.id || null, key: event.issue.key } : null;
    case "ignored":
      return null;
  }
}

/**
 * `jira.process-event`: one stored webhook delivery (inbound_events), processed after the
 * receiver has answered. The body only says which issue to look at: the issue and its comments
 * are fetched and applied to every linked ticket (syncIssueFromJira), so duplicates and
 * out-of-order deliveries are harmless. An event about an issue no ticket is linked to is
 * acknowledged and ignored.
 */
export function createProcessEventJob(options: JiraJobOptions = {}) {
  const settingsOf = options.settings ?? currentJiraSettings;
  return defineJob({
    name: "jira.process-event",
    payload: ZProcessEvent,
    ...(options.retry ? { retry: options.retry } : {}),
    expireInSeconds: 5 * 60,
    async handler({ eventId }, ctx) {
      const event = await findInboundEvent(ctx.db, eventId);
      if (!event || event.processedAt) return;
      const row = event.connectionId ? await findConnectionById(ctx.db, event.connectionId) : undefined;
      if (!row) return markInboundProcessed(ctx.db, event.id, new Date());
      if (row.status !== "active") {
        // The catch-up after an admin's fix polls every linked issue; this event adds nothing to it.
        return markInboundFailed(ctx.db, event.id, `not processed: the Jira connection is ${row.status}`);
      }
      const parsed = readJiraPayload(event.payload);
      const ref = parsed.ok ? issueOfEvent(parsed.event) : null;
      const links = ref ? await linksOfRemote(ctx.db, row.id, ref) : [];
      const forCustomers = ref !== null && (await concernsCustomers(ctx.db, { row }, ref, issueFieldsOfPayload(event.payload)));
      if (links.length === 0 && !forCustomers) {
        ctx.log.debug({ eventId, webhookEvent: event.eventType, issue: ref }, "Jira event for an issue no ticket or customer is linked to; ignored");
        return markInboundProcessed(ctx.db, event.id, new Date());
      }
      const rt = await openForJob(ctx.db, row, { secretKey: settingsOf().secretKey, log: ctx.log });
      if (!rt) return markInboundFailed(ctx.db, event.id, "not processed: the Jira connection cannot be opened");
      if (forCustomers && ref) {
        try {
          await refreshCustomerIssue(ctx.db, rt, ref, { deleted: parsed.ok && parsed.event.type === "issue_deleted", log: ctx.log });
        } catch (e) {
          await markInboundFailed(ctx.db, event.id, e instanceof Error ? e.message : String(e));
          throw e;
        }
      }
      // One issue per event: the links found by key may name another id only if the issue moved.
      const byIssue = new Map<string, typeof links>();
      for (const link of links) byIssue.set(link.remoteId, [...(byIssue.get(link.remoteId) ?? []), link]);
      try {
        for (const group of byIssue.values()) {
          if ((await syncIssueFromJira(ctx.db, rt, group, ctx.log)) === "paused") {
            return markInboundFailed(ctx.db, event.id, "not processed: the Jira connection was paused");
          }
        }
      } catch (e) {
        await markInboundFailed(ctx.db, event.id, e instanceof Error ? e.message : String(e));
        throw e;
      }
      await markInboundProcessed(ctx.db, event.id, new Date());
    },
  });
}

export const processEventJob = createProcessEventJob();
