import J2M from "jira2md";
import { markdownToAdf } from "marklassian";
import { adfToMarkdown, isAdfDocument, type AdfNode } from "./adfToMarkdown.js";
import type { JiraDeployment } from "./config.js";

/** What a rich-text field holds on the wire: ADF on Cloud v3, wiki markup on DC v2 (PROTOCOLS.md §1.3). */
export type AdfDocument = { version: 1; type: "doc"; content: AdfNode[] };
export type JiraRichText = AdfDocument | string;

export function markdownToAdfDocument(markdown: string): AdfDocument {
  return markdownToAdf(markdown) as AdfDocument;
}

export function markdownToWiki(markdown: string): string {
  return J2M.to_jira(markdown);
}

/** Our Markdown in the form the deployment's REST version takes for description and comment bodies. */
export function markdownToJira(markdown: string, deployment: JiraDeployment): JiraRichText {
  return deployment === "cloud" ? markdownToAdfDocument(markdown) : markdownToWiki(markdown);
}

/**
 * A body read from Jira as Markdown. Webhooks carry v2-style wiki strings even on Cloud while the
 * v3 API answers with ADF (PROTOCOLS.md §2.2, open point 2), so the shape decides, not the deployment.
 */
export function jiraBodyToMarkdown(body: unknown): string {
  if (typeof body === "string") return J2M.to_markdown(body).trim();
  if (isAdfDocument(body)) return adfToMarkdown(body);
  return "";
}

function adfText(node: unknown): string {
  if (typeof node !== "object" || node === null) return "";
  const n = node as AdfNode;
  if (n.type === "text") return n.text ?? "";
  if (n.type === "hardBreak") return "\n";
  if (n.type === "mention" || n.type === "emoji" || n.type === "status") return typeof n.attrs?.text === "string" ? n.attrs.text : "";
  if (n.type === "inlineCard") return typeof n.attrs?.url === "string" ? n.attrs.url : "";
  const inner = (n.content ?? []).map(adfText);
  const isBlockContainer = (n.content ?? []).some((c) => c.type !== "text" && c.type !== "hardBreak" && c.type !== "mention" && c.type !== "emoji" && c.type !== "inlineCard" && c.type !== "status");
  return inner.join(isBlockContainer ? "\n" : "");
}

/** A body read from Jira as plain text (notifications, previews, search). */
export function jiraBodyToPlainText(body: unknown): string {
  if (typeof body === "string") {
    return body
      .replace(/\{\{([^}]*)\}\}/g, "$1")
      .replace(/\{code(?::[^}]*)?\}|\{noformat\}|\{quote\}|\{panel(?::[^}]*)?\}/g, "")
      .replace(/\[([^|\]]+)\|([^\]]+)\]/g, "$1 ($2)")
      .replace(/^h[1-6]\.\s*/gm, "")
      .replace(/^bq\.\s*/gm, "")
      .replace(/(^|\s)[*_+\-^~]([^\s*_+\-^~][^*_+^~]*?)[*_+\-^~](?=\s|$|[.,;:!?])/g, "$1$2")
      .trim();
  }
  if (isAdfDocument(body)) return adfText(body).replace(/\n{3,}/g, "\n\n").trim();
  return "";
}
