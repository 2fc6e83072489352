/**
 * The shape rules of Atlassian Document Format that Jira Cloud enforces on v3 rich-text fields
 * (PROTOCOLS.md §1.3): a `doc` root with `version: 1`, block nodes at the top, inline nodes inside
 * paragraphs and headings, non-empty text nodes, known marks. The spec types these fields as `{}`,
 * so the fake checks them here.
 */

const blockNodes = new Set([
  "paragraph", "heading", "bulletList", "orderedList", "codeBlock", "blockquote", "rule", "table",
  "panel", "mediaSingle", "mediaGroup", "taskList", "decisionList", "expand", "blockCard", "embedCard",
  "extension", "bodiedExtension", "multiBodiedExtension", "layoutSection", "nestedExpand",
]);
const inlineNodes = new Set(["text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status", "mediaInline", "inlineExtension", "placeholder"]);
const marks = new Set(["strong", "em", "code", "strike", "underline", "link", "textColor", "subsup", "backgroundColor", "border", "annotation", "alignment", "indentation", "breakout"]);

/** Which children a container may hold: `block`, `inline`, or a fixed list of node types. */
const childRules: Record<string, "block" | "inline" | readonly string[]> = {
  doc: "block",
  paragraph: "inline",
  heading: "inline",
  bulletList: ["listItem"],
  orderedList: ["listItem"],
  listItem: ["paragraph", "bulletList", "orderedList", "codeBlock", "mediaSingle", "taskList"],
  blockquote: ["paragraph", "bulletList", "orderedList", "codeBlock", "mediaSingle", "mediaGroup"],
  codeBlock: ["text"],
  table: ["tableRow"],
  tableRow: ["tableHeader", "tableCell"],
  tableHeader: "block",
  tableCell: "block",
  panel: "block",
  taskList: ["taskItem", "taskList"],
  taskItem: "inline",
  decisionList: ["decisionItem"],
  decisionItem: "inline",
  expand: "block",
  nestedExpand: "block",
  mediaSingle: ["media"],
  mediaGroup: ["media"],
};

function check(node: unknown, path: string, expect: "block" | "inline" | readonly string[], problems: string[]): void {
  if (typeof node !== "object" || node === null || Array.isArray(node)) {
    problems.push(`${path}: a node must be an object`);
    return;
  }
  const n = node as Record<string, unknown>;
  if (typeof n.type !== "string") {
    problems.push(`${path}: a node needs a string "type"`);
    return;
  }
  const allowed = expect === "block" ? blockNodes.has(n.type) : expect === "inline" ? inlineNodes.has(n.type) : expect.includes(n.type);
  if (!allowed) problems.push(`${path}: "${n.type}" is not allowed here (expected ${typeof expect === "string" ? `${expect} nodes` : expect.join("|")})`);
  if ("version" in n) problems.push(`${path}: "version" belongs on the doc root only`);
  if (n.type === "text") {
    if (typeof n.text !== "string" || n.text === "") problems.push(`${path}: a text node needs non-empty "text"`);
    if (n.marks !== undefined) {
      if (!Array.isArray(n.marks)) problems.push(`${path}.marks: must be an array`);
      else
        n.marks.forEach((m, i) => {
          const mark = m as { type?: unknown; attrs?: { href?: unknown } };
          if (typeof mark?.type !== "string" || !marks.has(mark.type)) problems.push(`${path}.marks[${i}]: unknown mark`);
          if (mark?.type === "link" && typeof mark.attrs?.href !== "string") problems.push(`${path}.marks[${i}]: a link needs attrs.href`);
        });
    }
    return;
  }
  if (n.type === "heading") {
    const level = (n.attrs as { level?: unknown } | undefined)?.level;
    if (typeof level !== "number" || level < 1 || level > 6) problems.push(`${path}: a heading needs attrs.level 1–6`);
  }
  const rule = childRules[n.type];
  if (n.content === undefined) return;
  if (!Array.isArray(n.content)) {
    problems.push(`${path}.content: must be an array`);
    return;
  }
  if (!rule) {
    if (n.content.length > 0) problems.push(`${path}: "${n.type}" takes no content`);
    return;
  }
  n.content.forEach((child, i) => check(child, `${path}.content[${i}]`, rule, problems));
}

/** Problems with an ADF document; empty when it is one Jira accepts. */
export function adfProblems(value: unknown, path = "$"): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${path}: must be an Atlassian Document (object), got ${Array.isArray(value) ? "array" : typeof value}`];
  const doc = value as Record<string, unknown>;
  const problems: string[] = [];
  if (doc.type !== "doc") problems.push(`${path}.type: must be "doc"`);
  if (doc.version !== 1) problems.push(`${path}.version: must be 1`);
  if (!Array.isArray(doc.content)) problems.push(`${path}.content: must be an array`);
  else doc.content.forEach((child, i) => check(child, `${path}.content[${i}]`, "block", problems));
  return problems;
}

export function isAdf(value: unknown): boolean {
  return adfProblems(value).length === 0;
}
