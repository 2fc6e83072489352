import { readFile } from "node:fs/promises";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { findConnectionById } from "../../../db/repositories/connections.js";
import { insertLink, linksOfTicket } from "../../../db/repositories/externalLinks.js";
import { loadTicketForJira } from "../../../db/repositories/ticketForJira.js";
import { attachments } from "../../../db/schema/index.js";
import { systemActor } from "../../../domain/systemActor.js";
import { defineJob, PermanentJobError } from "../../../jobs/defineJob.js";
import { AttachmentStore } from "../../../storage/attachmentStore.js";
import { recordTicketEvents } from "../../../commands/tickets/recordTicketEvents.js";
import { pauseJiraConnection } from "../../../commands/jira/pauseJiraConnection.js";
import { JIRA_CHANNEL, JIRA_SYSTEM } from "../constants.js";
import { isJiraError } from "../errors.js";
import { browseUrl, issueFieldsFor } from "../issueFields.js";
import { currentJiraSettings } from "../jiraSettings.js";
import { attachmentBaseline, isDeletedInJira, issueAttachments, type IssueAttachment } from "../linkExtras.js";
import { issueFacts, storedSnapshot } from "../linkSnapshot.js";
import { buildCreateIssuePayload, localSyncValues, markerFor, remoteSyncValues } from "../mapping.js";
import { openForJob } from "../settleFailure.js";
import { ticketTerms } from "../ticketTerms.js";
import { viewIssue } from "../types.js";
import type { JiraJobOptions } from "./syncTicketJob.js";

export const ZEscalate = z.object({ ticketId: z.uuid(), connectionId: z.uuid(), requestedById: z.guid().optional() });

/** Longer than the default: an escalation waits out a paused connection for most of a day. */
const escalateRetry = { retryLimit: 16, retryDelaySeconds: 10, retryDelayMaxSeconds: 3600 };

/**
 * `jira.escalate`: creates the Jira issue for a ticket, uploads its files, and links the two.
 * Three durable steps, so no retry or crash ever makes a second issue:
 * 1. find-or-create (remote, non-transactional): our marker label is searched for first, so a
 *    create whose answer was lost (or whose step record never committed) is found, not repeated;
 *    the entity property on the issue confirms which ticket it belongs to;
 * 2. one step per file, each checking the issue's attachments before uploading;
 * 3. the link with its first snapshot, in one transaction with the history entry.
 * Only what the mapping names is sent (summary, description, priority, labels, mapped custom
 * fields and the ticket's public files): never the requester or other customer data.
 */
export function createEscalateJob(options: JiraJobOptions = {}) {
  const settingsOf = options.settings ?? currentJiraSettings;
  return defineJob({
    name: "jira.escalate",
    payload: ZEscalate,
    retry: { ...escalateRetry, ...options.retry },
    expireInSeconds: 10 * 60,
    async handler({ ticketId, connectionId }, ctx) {
      const row = await findConnectionById(ctx.db, connectionId);
      if (!row) throw new PermanentJobError("the Jira connection was deleted");
      if (row.status !== "active") throw new Error(`waiting: the Jira connection is ${row.status}`);
      const settings = settingsOf();
      const rt = await openForJob(ctx.db, row, { secretKey: settings.secretKey, log: ctx.log });
      if (!rt) throw new Error("waiting: the Jira connection cannot be opened and was paused");
      const { client, mapping, connection } = rt;
      const start = await loadTicketForJira(ctx.db, ticketId);
      if (!start) return;
      const already = (await linksOfTicket(ctx.db, ticketId, JIRA_SYSTEM)).find((l) => l.connection.id === connectionId && originIsEscalation(l.link.snapshot) && !isDeletedInJira(l.link.snapshot));
      if (already) return;

      try {
        const created = await ctx.step(
          "create-issue",
          async () => {
            const found = await client.findIssueByMarker(markerFor(ticketId, mapping, connection.projectKey));
            if (found) {
              ctx.log.info({ key: found.key }, "found the issue an earlier attempt created; not creating another");
              return { id: found.id, key: found.key };
            }
            const payload = buildCreateIssuePayload(ticketTerms(start.ticket, start.assigneeEmail), mapping, { deployment: connection.deployment, projectKey: connection.projectKey, issueType: connection.issueType });
            const issue = await client.createIssue(payload);
            return { id: issue.id, key: issue.key };
          },
          { isTransactional: false },
        );

        const files = await ctx.db
          .select()
          .from(attachments)
          .where(and(eq(attachments.ticketId, ticketId), eq(attachments.isInternal, false)))
          .orderBy(asc(attachments.createdAt), asc(attachments.id));
        const store = new AttachmentStore(settings.dataDir);
        let onIssue: IssueAttachment[] | null = null;
        for (const file of files) {
          await ctx.step(
            `attach:${file.id}`,
            async () => {
              onIssue ??= issueAttachments((await client.getIssue(created.id, { fields: ["attachment"] })).fields);
              // A crash after an upload and before its record repeats the step: the file is already there.
              if (onIssue.some((a) => a.filename === file.filename && a.size === file.sizeBytes)) return;
              const data = await readFile(store.pathFor(file.sha256));
              await client.addAttachment(created.id, { filename: file.filename, contentType: file.contentType, data });
            },
            { isTransactional: false },
          );
        }

        const issue = viewIssue(await client.getIssue(created.id, { fields: issueFieldsFor(mapping) }));
        await ctx.step("link", async ({ db }) => {
          const now = new Date();
          const loaded = await loadTicketForJira(db, ticketId, { forUpdate: true });
          if (!loaded) return;
          const link = await insertLink(db, {
            connectionId,
            ticketId,
            remoteId: issue.id,
            remoteKey: issue.key.toUpperCase(),
            remoteUrl: browseUrl(connection.baseUrl, issue.key),
            remoteStatus: issue.status?.name ?? null,
            snapshot: {
              ...storedSnapshot({
                remote: remoteSyncValues(issue, mapping),
                local: localSyncValues(ticketTerms(loaded.ticket, loaded.assigneeEmail), mapping),
                syncedAt: now.toISOString(),
                issue: issueFacts(issue),
                origin: "escalated",
              }),
              // The files just uploaded are ours: never imported back as news (inboundAttachments.ts).
              ...attachmentBaseline(issue.fields),
            },
            lastSyncedAt: now,
            createdAt: now,
          });
          if (!link) return;
          await recordTicketEvents(db, ticketId, systemActor, JIRA_CHANNEL, [{ type: "jira.linked", to: { key: issue.key, remoteId: issue.id, url: link.remoteUrl, origin: "escalated", attachments: files.length } }], now);
        });
      } catch (e) {
        if (isJiraError(e) && e.pausesConnection) {
          await pauseJiraConnection(ctx.db, connectionId, e);
          // Waits (with the retries) for an admin to fix the connection.
          throw new Error(`waiting: the Jira connection was paused (${e.message})`);
        }
        if (isJiraError(e) && !e.retryable) {
          // The agent sees why in the ticket's history; an admin can retry the job once it is fixed.
          await ctx.db.transaction((tx) => recordTicketEvents(tx, ticketId, systemActor, JIRA_CHANNEL, [{ type: "jira.escalation_failed", to: { kind: e.kind, reason: e.message } }]));
          throw new PermanentJobError(`Jira refused the escalation: ${e.message}`);
        }
        throw e;
      }
    },
  });
}

const originIsEscalation = (snapshot: unknown) => (snapshot as { origin?: unknown } | null)?.origin === "escalated";

export const escalateJob = createEscalateJob();
