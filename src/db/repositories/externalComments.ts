import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { externalComments, externalLinks, messages, tickets, users } from "../schema/index.js";

export type ExternalCommentRow = typeof externalComments.$inferSelect;

/**
 * An outbound comment is claimed before it is posted, under this placeholder id, so that an echo
 * arriving before the post's answer is recognised (and so only one job posts a message).
 */
export const pendingCommentId = (remoteIssueId: string) => `pending:${remoteIssueId}`;
export const isPendingCommentId = (id: string) => id.startsWith("pending:");

/** The claim or record of one message on one remote issue. */
export async function outboundCommentOf(db: Executor, connectionId: string, remoteIssueId: string, messageId: string): Promise<ExternalCommentRow | undefined> {
  const [row] = await db
    .select()
    .from(externalComments)
    .where(and(eq(externalComments.connectionId, connectionId), eq(externalComments.remoteIssueId, remoteIssueId), eq(externalComments.messageId, messageId)))
    .limit(1);
  return row;
}

/**
 * Claims a message for posting to one issue: `claimed`, or `held` by another job, or already
 * `posted` (a settled record replaces the placeholder id, so the unique index alone would let a
 * second claim in after the first one settled).
 */
export async function claimOutboundComment(db: Executor, connectionId: string, remoteIssueId: string, messageId: string): Promise<"claimed" | "held" | "posted"> {
  const existing = await outboundCommentOf(db, connectionId, remoteIssueId, messageId);
  if (existing) return isPendingCommentId(existing.remoteCommentId) ? "held" : "posted";
  const rows = await db
    .insert(externalComments)
    .values({ connectionId, remoteIssueId, remoteCommentId: pendingCommentId(remoteIssueId), messageId, direction: "outbound" })
    .onConflictDoNothing()
    .returning({ id: externalComments.id });
  return rows.length > 0 ? "claimed" : "held";
}

/** Turns a claim into the record of the posted comment; a no-op when the echo got there first. */
export async function settleOutboundComment(db: Executor, connectionId: string, remoteIssueId: string, messageId: string, remoteCommentId: string): Promise<void> {
  await db
    .update(externalComments)
    .set({ remoteCommentId })
    .where(
      and(
        eq(externalComments.connectionId, connectionId),
        eq(externalComments.messageId, messageId),
        eq(externalComments.remoteIssueId, remoteIssueId),
        eq(externalComments.remoteCommentId, pendingCommentId(remoteIssueId)),
      ),
    );
}

export async function recordInboundComment(db: Executor, values: { connectionId: string; remoteIssueId: string; remoteCommentId: string; messageId: string }): Promise<void> {
  await db.insert(externalComments).values({ ...values, direction: "inbound" }).onConflictDoNothing();
}

export async function adoptClaim(db: Executor, claimId: string, remoteCommentId: string): Promise<void> {
  await db.update(externalComments).set({ remoteCommentId }).where(eq(externalComments.id, claimId));
}

/** Gives up a claim whose post failed for good, so a later job (after a resume) may claim it again. */
export async function releaseClaim(db: Executor, connectionId: string, remoteIssueId: string, messageId: string): Promise<void> {
  await db
    .delete(externalComments)
    .where(
      and(
        eq(externalComments.connectionId, connectionId),
        eq(externalComments.messageId, messageId),
        eq(externalComments.remoteIssueId, remoteIssueId),
        eq(externalComments.remoteCommentId, pendingCommentId(remoteIssueId)),
      ),
    );
}

export type MessageKinds = { publicReplies: boolean; internalNotes: boolean };

/** Staff messages of the mapped kinds, written on a linked ticket since it was linked, not from Jira. */
function sendable(connectionId: string, kinds: MessageKinds) {
  return and(
    eq(externalLinks.connectionId, connectionId),
    sql`${messages.createdAt} >= ${externalLinks.createdAt}`,
    sql`${messages.channel} <> 'jira'`,
    inArray(users.role, ["agent", "admin"]),
    kinds.publicReplies && kinds.internalNotes ? undefined : eq(messages.isInternal, kinds.internalNotes),
  );
}

/** Not yet recorded as posted to the link's issue (a pending claim does not count as posted). */
const notPosted = (connectionId: string) =>
  sql`not exists (select 1 from ${externalComments} ec where ec.connection_id = ${connectionId} and ec.message_id = ${messages.id} and ec.remote_issue_id = ${externalLinks.remoteId} and ec.remote_comment_id not like 'pending:%')`;

/** Tickets with messages their Jira issues have not received: what a resumed connection still owes. */
export async function ticketsWithUnsentMessages(db: Executor, connectionId: string, kinds: MessageKinds): Promise<string[]> {
  if (!kinds.publicReplies && !kinds.internalNotes) return [];
  const rows = await db
    .selectDistinct({ ticketId: messages.ticketId })
    .from(messages)
    .innerJoin(externalLinks, eq(externalLinks.ticketId, messages.ticketId))
    .innerJoin(users, eq(users.id, messages.authorId))
    .where(and(sendable(connectionId, kinds), notPosted(connectionId)))
    .limit(10_000);
  return rows.map((r) => r.ticketId);
}

export type UnsentMessage = { id: string; body: string; isInternal: boolean; createdAt: Date; authorName: string; ticketNumber: string };

/** One link's unsent messages, oldest first: the order they must reach Jira in. */
export async function unsentMessagesOfLink(db: Executor, connectionId: string, linkId: string, kinds: MessageKinds): Promise<UnsentMessage[]> {
  if (!kinds.publicReplies && !kinds.internalNotes) return [];
  return db
    .select({ id: messages.id, body: messages.body, isInternal: messages.isInternal, createdAt: messages.createdAt, authorName: users.name, ticketNumber: tickets.number })
    .from(messages)
    .innerJoin(externalLinks, eq(externalLinks.ticketId, messages.ticketId))
    .innerJoin(users, eq(users.id, messages.authorId))
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .where(and(eq(externalLinks.id, linkId), sendable(connectionId, kinds), notPosted(connectionId)))
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(1000);
}
