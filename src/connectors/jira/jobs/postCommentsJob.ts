import { z } from "zod";
import { findConnectionById } from "../../../db/repositories/connections.js";
import { claimOutboundComment, outboundCommentOf, releaseClaim, settleOutboundComment, unsentMessagesOfLink, type UnsentMessage } from "../../../db/repositories/externalComments.js";
import { linksOfTicket, type ExternalLinkRow } from "../../../db/repositories/externalLinks.js";
import { defineJob, type JobContext } from "../../../jobs/defineJob.js";
import { isEchoOf, outboundCommentMarkdown } from "../commentText.js";
import { JIRA_SYSTEM } from "../constants.js";
import { isDeletedInJira } from "../linkExtras.js";
import { currentJiraSettings } from "../jiraSettings.js";
import type { JiraRuntime } from "../runtime.js";
import { openForJob, settleJiraFailure } from "../settleFailure.js";
import { parseJiraTime } from "../types.js";
import type { JiraJobOptions } from "./syncTicketJob.js";

export const ZPostComments = z.object({ ticketId: z.uuid(), connectionId: z.uuid() });

/** A claim this old belongs to a job that gave up or died: another may take it over. */
const STALE_CLAIM_MS = 15 * 60_000;

/** Another job is posting an earlier message of this ticket: ours must come after it. */
class EarlierMessagePending extends Error {
  override readonly name = "EarlierMessagePending";
}

class ClaimHeld extends Error {}
class AlreadyPosted extends Error {}

/**
 * Claims a message for this job, as a durable step: recorded when it succeeds, so every retry of
 * this job knows the claim is its own; not recorded when another job holds it or has posted it.
 * Returns false when the message turns out to be posted already.
 */
async function claim(ctx: JobContext, rt: JiraRuntime, link: ExternalLinkRow, message: UnsentMessage): Promise<boolean> {
  const take = () =>
    ctx.step(`claim:${link.remoteId}:${message.id}`, async ({ db }) => {
      const outcome = await claimOutboundComment(db, rt.row.id, link.remoteId, message.id);
      if (outcome === "held") throw new ClaimHeld();
      if (outcome === "posted") throw new AlreadyPosted();
      return true;
    });
  try {
    await take();
    return true;
  } catch (e) {
    if (e instanceof AlreadyPosted) return false;
    if (!(e instanceof ClaimHeld)) throw e;
    const held = await outboundCommentOf(ctx.db, rt.row.id, link.remoteId, message.id);
    if (held && Date.now() - held.createdAt.getTime() < STALE_CLAIM_MS) throw new EarlierMessagePending(`message ${message.id} is being posted by another job`);
    await releaseClaim(ctx.db, rt.row.id, link.remoteId, message.id);
    try {
      await take();
      return true;
    } catch (again) {
      if (again instanceof AlreadyPosted) return false;
      if (again instanceof ClaimHeld) throw new EarlierMessagePending(`message ${message.id} is being posted by another job`);
      throw again;
    }
  }
}

/**
 * Posts one message to one issue, at most once: the claim (above) is written first, so an echo
 * arriving before the answer is recognised; the post is a non-transactional step, and a retry, or
 * a job taking over a stale claim, looks for its own comment before posting again; the record
 * replaces the claim with Jira's comment id.
 */
async function post(ctx: JobContext, rt: JiraRuntime, link: ExternalLinkRow, message: UnsentMessage): Promise<void> {
  if (!(await claim(ctx, rt, link, message))) return;
  const markdown = outboundCommentMarkdown({ authorName: message.authorName, ticketNumber: message.ticketNumber, body: message.body });
  const claimedAt = (await outboundCommentOf(ctx.db, rt.row.id, link.remoteId, message.id))?.createdAt ?? message.createdAt;
  const remoteCommentId = await ctx.step(
    `post:${link.remoteId}:${message.id}`,
    async () => {
      if (ctx.attempt > 1 || Date.now() - claimedAt.getTime() > 60_000) {
        // The earlier try may have posted and lost the answer: find that comment rather than post twice.
        const posted = (await rt.client.listComments(link.remoteId)).find((c) => (parseJiraTime(c.created)?.getTime() ?? Infinity) >= claimedAt.getTime() - 60_000 && isEchoOf(c, markdown));
        if (posted) return posted.id;
      }
      if (!message.isInternal) return (await rt.client.addComment(link.remoteId, { markdown })).id;
      if (rt.mapping.comments.internalVia === "servicedesk") return (await rt.client.addServiceDeskComment(link.remoteId, { markdown, public: false })).id;
      return (await rt.client.addComment(link.remoteId, { markdown, internal: true })).id;
    },
    { isTransactional: false },
  );
  await ctx.step(`record:${link.remoteId}:${message.id}`, ({ db }) => settleOutboundComment(db, rt.row.id, link.remoteId, message.id, remoteCommentId));
}

/**
 * `jira.post-comments`: a linked ticket's staff replies and internal notes become comments on
 * each of its Jira issues, when the mapping says so (DESIGN.md §7); notes become JSM internal
 * comments. It posts every message the issue has not received, oldest first, so a burst is
 * coalesced and paused work resumes in order; when another job is posting an earlier message of
 * the same ticket, it waits (retries) rather than overtake it. Customers' own messages are never
 * sent: their words and names are theirs (the support-backend security note).
 */
export function createPostCommentsJob(options: JiraJobOptions = {}) {
  const settingsOf = options.settings ?? currentJiraSettings;
  return defineJob({
    name: "jira.post-comments",
    payload: ZPostComments,
    ...(options.retry ? { retry: options.retry } : {}),
    expireInSeconds: 5 * 60,
    async handler({ ticketId, connectionId }, ctx) {
      const row = await findConnectionById(ctx.db, connectionId);
      // Paused: resumeJiraConnection queues every ticket with unsent messages once an admin fixes it.
      if (!row || row.status !== "active") return;
      const rt = await openForJob(ctx.db, row, { secretKey: settingsOf().secretKey, log: ctx.log });
      if (!rt) return;
      // Not to an issue deleted in Jira (the full pass marked its link).
      const links = (await linksOfTicket(ctx.db, ticketId, JIRA_SYSTEM)).filter((l) => l.connection.id === connectionId && !isDeletedInJira(l.link.snapshot)).map((l) => l.link);
      let retry: unknown = null;
      for (const link of links) {
        for (const message of await unsentMessagesOfLink(ctx.db, connectionId, link.id, rt.mapping.comments)) {
          try {
            await post(ctx, rt, link, message);
          } catch (e) {
            if (e instanceof EarlierMessagePending) {
              retry ??= e;
              break;
            }
            try {
              const outcome = await settleJiraFailure(ctx.db, rt, e, [link], ctx.log);
              // Settled for good (this job is not retried): leave the message free for a later job.
              await releaseClaim(ctx.db, rt.row.id, link.remoteId, message.id);
              if (outcome === "paused") return;
            } catch (again) {
              retry ??= again;
            }
            // Later messages wait for this one: the order of a thread matters.
            break;
          }
        }
      }
      if (retry) throw retry;
    },
  });
}

export const postCommentsJob = createPostCommentsJob();
