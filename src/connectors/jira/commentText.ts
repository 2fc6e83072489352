import { jiraBodyToMarkdown, jiraBodyToPlainText, markdownToAdfDocument, markdownToWiki } from "./text.js";
import type { JiraComment } from "./types.js";

/**
 * The texts comments become on either side. Pure, so what we post and what we recognise as our
 * own echo are computed by the same code.
 */

/** A message as a Jira comment: the agent's name on the first line, since Jira shows our service account as the author. */
export function outboundCommentMarkdown(input: { authorName: string; ticketNumber: string; body: string }): string {
  return `**${input.authorName.replace(/[*_`[\]]/g, "")}** (${input.ticketNumber}):\n\n${input.body}`;
}

/** A Jira comment as a note: the Jira author is named unless the note is posted as them. */
export function inboundNoteBody(comment: JiraComment, issueKey: string, postedAsAuthor: boolean): string {
  const text = jiraBodyToMarkdown(comment.body) || "_(a Jira comment without text)_";
  if (postedAsAuthor) return text;
  const who = comment.author?.displayName ?? comment.author?.name ?? "Someone";
  return `_${who.replace(/[*_`[\]]/g, "")} in Jira (${issueKey}):_\n\n${text}`;
}

/** What a note whose Jira comment was deleted says instead. */
export const DELETED_IN_JIRA = "_(This comment was deleted in Jira.)_";

/** Letters and digits only, lowercased: equal for the same words whatever the markup (ADF, wiki, Markdown). */
export function comparableText(bodyOrMarkdown: unknown): string {
  const text = typeof bodyOrMarkdown === "string" ? bodyOrMarkdown : jiraBodyToPlainText(bodyOrMarkdown);
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * Whether a remote comment is the one we posted (its echo). Our Markdown goes through the same
 * conversion the remote body went through (ADF, or a wiki string on DC and JSM's API), so a
 * link or emphasis that one format keeps and the other drops compares equal.
 */
export function isEchoOf(remote: JiraComment, postedMarkdown: string): boolean {
  const ours = typeof remote.body === "string" ? comparableText(markdownToWiki(postedMarkdown)) : comparableText(jiraBodyToPlainText(markdownToAdfDocument(postedMarkdown)));
  return ours.length > 0 && comparableText(remote.body) === ours;
}
