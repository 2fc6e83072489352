import { and, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import type { ExternalLinkRow } from "../../db/repositories/externalLinks.js";
import type { TicketRow } from "../../db/repositories/findTicket.js";
import { adoptClaim, isPendingCommentId, recordInboundComment } from "../../db/repositories/externalComments.js";
import { staffByEmail } from "../../db/repositories/staffByEmail.js";
import { externalComments, messages, tickets, users } from "../../db/schema/index.js";
import { SYSTEM_USER_ID, systemActor } from "../../domain/systemActor.js";
import { DELETED_IN_JIRA, inboundNoteBody, isEchoOf, outboundCommentMarkdown } from "../../connectors/jira/commentText.js";
import { JIRA_CHANNEL } from "../../connectors/jira/constants.js";
import { parseJiraTime, type JiraComment } from "../../connectors/jira/types.js";
import type { TicketEventInput } from "../../db/repositories/ticketEvents.js";
import { recordTicketEvents } from "../tickets/recordTicketEvents.js";

/** A claim older than this is not waiting for its own echo any more (the post finished or failed long ago). */
const CLAIM_FRESH_MS = 15 * 60_000;
/** Comments made before the link, minus this for clock skew, are the issue's past, not news. */
const LINK_SKEW_MS = 60_000;

/**
 * Brings a ticket's notes in line with its Jira issue's comments, given the full current list.
 * Working from the list rather than from one event makes this idempotent and indifferent to the
 * order deliveries arrive in: a comment becomes one note once, an edit rewrites it, a deletion
 * marks it deleted. Comments we posted (ours, or a fresh claim whose text matches: the echo of a
 * post whose answer has not been recorded yet) are never imported. A comment is customer-facing
 * only when it is a JSM public comment without a visibility restriction; everything else is an
 * internal note (DESIGN.md §7 "Visibility").
 */
export async function importJiraComments(
  tx: Tx,
  input: { connectionId: string; ticket: TicketRow; link: ExternalLinkRow; issueKey: string; comments: JiraComment[]; isServiceDesk: boolean; now: Date },
): Promise<{ added: number; updated: number; deleted: number }> {
  const { connectionId, ticket, link, now } = input;
  const known = await tx
    .select({ row: externalComments, ticketId: messages.ticketId, ticketNumber: tickets.number, body: messages.body, authorId: messages.authorId, authorName: users.name })
    .from(externalComments)
    .innerJoin(messages, eq(messages.id, externalComments.messageId))
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .leftJoin(users, eq(users.id, messages.authorId))
    .where(and(eq(externalComments.connectionId, connectionId), eq(externalComments.remoteIssueId, link.remoteId)));
  const ours = new Set(known.filter((k) => k.row.direction === "outbound" && !isPendingCommentId(k.row.remoteCommentId)).map((k) => k.row.remoteCommentId));
  const mine = new Map(known.filter((k) => k.row.direction === "inbound" && k.ticketId === ticket.id).map((k) => [k.row.remoteCommentId, k]));
  const claims = known.filter((k) => isPendingCommentId(k.row.remoteCommentId) && now.getTime() - k.row.createdAt.getTime() < CLAIM_FRESH_MS);
  const events: TicketEventInput[] = [];
  let added = 0;
  let updated = 0;
  let deleted = 0;
  const present = new Set<string>();

  const sorted = [...input.comments].sort((a, b) => (parseJiraTime(a.created)?.getTime() ?? 0) - (parseJiraTime(b.created)?.getTime() ?? 0));
  for (const c of sorted) {
    present.add(c.id);
    if (ours.has(c.id)) continue;
    const author = await staffByEmail(tx, c.author?.emailAddress);
    const existing = mine.get(c.id);
    if (existing) {
      const body = inboundNoteBody(c, input.issueKey, existing.authorId !== SYSTEM_USER_ID);
      if (existing.body !== body && existing.body !== DELETED_IN_JIRA) {
        await tx.update(messages).set({ body }).where(eq(messages.id, existing.row.messageId));
        events.push({ type: "jira.comment_updated", to: { messageId: existing.row.messageId, remoteCommentId: c.id, key: input.issueKey } });
        updated++;
      }
      continue;
    }
    const created = parseJiraTime(c.created);
    if (created && created.getTime() < link.createdAt.getTime() - LINK_SKEW_MS) continue;
    const claim = claims.find((k) => isEchoOf(c, outboundCommentMarkdown({ authorName: k.authorName ?? "Switchboard", ticketNumber: k.ticketNumber, body: k.body })));
    if (claim) {
      await adoptClaim(tx, claim.row.id, c.id);
      claims.splice(claims.indexOf(claim), 1);
      continue;
    }
    const isPublic = input.isServiceDesk && c.jsdPublic === true && !c.visibility;
    const [message] = await tx
      .insert(messages)
      .values({
        ticketId: ticket.id,
        authorId: author?.id ?? SYSTEM_USER_ID,
        body: inboundNoteBody(c, input.issueKey, author !== undefined),
        isInternal: !isPublic,
        channel: JIRA_CHANNEL,
        externalId: c.id,
        createdAt: now,
      })
      .returning({ id: messages.id });
    await recordInboundComment(tx, { connectionId, remoteIssueId: link.remoteId, remoteCommentId: c.id, messageId: message!.id });
    // A developer's comment is not our agents' response: it must not stop a response clock.
    events.push({ type: isPublic ? "reply.added" : "note.added", to: { messageId: message!.id, attachments: 0, authorSide: "staff", isAutomated: true, source: "jira", key: input.issueKey } });
    added++;
  }

  for (const [remoteCommentId, k] of mine) {
    if (present.has(remoteCommentId)) continue;
    // The mapping stays: a list read before the deletion (a slower job) must not bring the note back.
    if (k.body !== DELETED_IN_JIRA) {
      await tx.update(messages).set({ body: DELETED_IN_JIRA }).where(eq(messages.id, k.row.messageId));
      events.push({ type: "jira.comment_deleted", to: { messageId: k.row.messageId, remoteCommentId, key: input.issueKey } });
      deleted++;
    }
  }
  if (events.length > 0) await recordTicketEvents(tx, ticket.id, systemActor, JIRA_CHANNEL, events, now);
  return { added, updated, deleted };
}
