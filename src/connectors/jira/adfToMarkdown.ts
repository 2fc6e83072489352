/**
 * Atlassian Document Format → Markdown, for Jira Cloud comments and descriptions arriving in
 * Switchboard. Written here because marklassian only goes the other way. Unknown node types keep
 * their text (a future node never loses words); media and cards become a short placeholder.
 */

type AdfMark = { type: string; attrs?: Record<string, unknown> };
export type AdfNode = { type: string; text?: string; attrs?: Record<string, unknown>; marks?: AdfMark[]; content?: AdfNode[] };

function isNode(value: unknown): value is AdfNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

export function isAdfDocument(value: unknown): value is AdfNode & { type: "doc" } {
  return isNode(value) && value.type === "doc" && Array.isArray(value.content);
}

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

function children(node: AdfNode): AdfNode[] {
  return Array.isArray(node.content) ? node.content.filter(isNode) : [];
}

function applyMarks(text: string, marks: AdfMark[] | undefined): string {
  if (!text || !marks || marks.length === 0) return text;
  // Markdown emphasis cannot open or close on a space (`** gone**` is literal), so edge
  // spaces stay outside the marks.
  const [, lead = "", core = "", trail = ""] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) ?? [];
  if (!core) return text;
  let out = core;
  // `code` goes innermost so the other marks wrap the backticks, as Markdown expects.
  const ordered = [...marks].sort((a, b) => (a.type === "code" ? -1 : b.type === "code" ? 1 : 0));
  for (const mark of ordered) {
    switch (mark.type) {
      case "strong":
        out = `**${out}**`;
        break;
      case "em":
        out = `*${out}*`;
        break;
      case "strike":
        out = `~~${out}~~`;
        break;
      case "code":
        out = `\`${out}\``;
        break;
      case "link": {
        const href = str(mark.attrs?.href);
        if (href) out = `[${out}](${href})`;
        break;
      }
      default:
        break;
    }
  }
  return lead + out + trail;
}

function inline(nodes: AdfNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case "text":
          return applyMarks(str(node.text), node.marks);
        case "hardBreak":
          return "  \n";
        case "mention":
          return str(node.attrs?.text) || `@${str(node.attrs?.id)}`;
        case "emoji":
          return str(node.attrs?.text) || str(node.attrs?.shortName);
        case "inlineCard":
        case "blockCard":
        case "embedCard":
          return str(node.attrs?.url);
        case "date": {
          const ms = Number(node.attrs?.timestamp);
          return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : "";
        }
        case "status":
          return str(node.attrs?.text);
        default:
          return inline(children(node));
      }
    })
    .join("");
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line, i) => (i === 0 || line === "" ? line : prefix + line))
    .join("\n");
}

function listItems(node: AdfNode, ordered: boolean): string {
  const start = Number(node.attrs?.order ?? 1) || 1;
  return children(node)
    .map((item, i) => {
      const marker = ordered ? `${start + i}. ` : "- ";
      const body = blocks(children(item)).trimEnd();
      return marker + indent(body, " ".repeat(marker.length));
    })
    .join("\n");
}

function table(node: AdfNode): string {
  const rows = children(node).map((row) => children(row).map((cell) => blocks(children(cell)).replace(/\n+/g, " ").replace(/\|/g, "\\|").trim()));
  if (rows.length === 0) return "";
  const width = Math.max(...rows.map((r) => r.length));
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => cells[i] ?? "").join(" | ")} |`;
  return [line(rows[0]!), line(Array.from({ length: width }, () => "---")), ...rows.slice(1).map(line)].join("\n");
}

function block(node: AdfNode): string {
  switch (node.type) {
    case "paragraph":
      return inline(children(node));
    case "heading": {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.level) || 1));
      return `${"#".repeat(level)} ${inline(children(node))}`;
    }
    case "bulletList":
      return listItems(node, false);
    case "orderedList":
      return listItems(node, true);
    case "taskList":
      return children(node)
        .map((item) => `- [${item.attrs?.state === "DONE" ? "x" : " "}] ${inline(children(item))}`)
        .join("\n");
    case "codeBlock": {
      const language = str(node.attrs?.language);
      return `\`\`\`${language}\n${children(node).map((t) => str(t.text)).join("")}\n\`\`\``;
    }
    case "blockquote":
    case "panel":
      return blocks(children(node))
        .split("\n")
        .map((line) => (line ? `> ${line}` : ">"))
        .join("\n");
    case "rule":
      return "---";
    case "table":
      return table(node);
    case "mediaSingle":
    case "mediaGroup":
    case "media":
      return "[attachment]";
    case "expand":
    case "nestedExpand": {
      const title = str(node.attrs?.title);
      const body = blocks(children(node));
      return title ? `**${title}**\n\n${body}` : body;
    }
    default:
      // Block nodes hold blocks and inline nodes hold text; either way the words survive.
      return children(node).some((c) => c.type === "text") ? inline(children(node)) : blocks(children(node));
  }
}

function blocks(nodes: AdfNode[]): string {
  return nodes
    .map(block)
    .filter((b) => b !== "")
    .join("\n\n");
}

export function adfToMarkdown(doc: unknown): string {
  if (!isNode(doc)) return "";
  return (doc.type === "doc" ? blocks(children(doc)) : block(doc)).trim();
}
