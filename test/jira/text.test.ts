import { describe, expect, it } from "vitest";
import { adfToMarkdown } from "../../src/connectors/jira/adfToMarkdown.js";
import { jiraBodyToMarkdown, jiraBodyToPlainText, markdownToJira, markdownToWiki } from "../../src/connectors/jira/text.js";
import { parseJiraTime } from "../../src/connectors/jira/types.js";
import { adfProblems } from "./fake/adf.js";

const markdown = "# Outage\n\nThe **API** is _down_, see [status](https://status.example.com) and `err 42`.\n\n- one\n- two\n\n1. first\n2. second\n\n```js\nconst a = 1;\n```\n\n> quoted";

describe("Markdown to Jira", () => {
  it("gives ADF that Jira Cloud accepts", () => {
    const doc = markdownToJira(markdown, "cloud");
    expect(adfProblems(doc)).toEqual([]);
    expect(adfProblems(markdownToJira("", "cloud"))).toEqual([]);
  });

  it("gives wiki markup for Server/DC", () => {
    expect(markdownToJira(markdown, "datacenter")).toBe(
      "h1. Outage\n\nThe *API* is _down_, see [status|https://status.example.com] and {{err 42}}.\n\n- one\n- two\n\n# first\n# second\n\n{code:js}\nconst a = 1;\n{code}\n\nbq. quoted",
    );
    expect(markdownToWiki("**bold** and *it*")).toBe("*bold* and _it_");
  });
});

describe("Jira to Markdown", () => {
  it("round-trips our Markdown through ADF", () => {
    expect(jiraBodyToMarkdown(markdownToJira(markdown, "cloud"))).toBe(
      "# Outage\n\nThe **API** is *down*, see [status](https://status.example.com) and `err 42`.\n\n- one\n- two\n\n1. first\n2. second\n\n```js\nconst a = 1;\n```\n\n> quoted",
    );
  });

  it("reads the ADF nodes Jira users produce: mentions, emoji, cards, breaks, tables, panels, media", () => {
    const doc = {
      version: 1,
      type: "doc",
      content: [
        {
          type: "paragraph",
          content: [
            { type: "mention", attrs: { id: "5b10", text: "@Ana" } },
            { type: "text", text: " please look " },
            { type: "emoji", attrs: { shortName: ":fire:", text: "🔥" } },
            { type: "hardBreak" },
            { type: "inlineCard", attrs: { url: "https://jira.example.com/browse/SUP-1" } },
            { type: "text", text: " gone", marks: [{ type: "strike" }] },
          ],
        },
        { type: "panel", attrs: { panelType: "info" }, content: [{ type: "paragraph", content: [{ type: "text", text: "Heads up" }] }] },
        {
          type: "table",
          content: [
            { type: "tableRow", content: [{ type: "tableHeader", content: [{ type: "paragraph", content: [{ type: "text", text: "Host" }] }] }, { type: "tableHeader", content: [{ type: "paragraph", content: [{ type: "text", text: "State" }] }] }] },
            { type: "tableRow", content: [{ type: "tableCell", content: [{ type: "paragraph", content: [{ type: "text", text: "db1" }] }] }, { type: "tableCell", content: [{ type: "paragraph", content: [{ type: "text", text: "a|b" }] }] }] },
          ],
        },
        { type: "mediaSingle", content: [{ type: "media", attrs: { id: "x", type: "file", collection: "c" } }] },
        { type: "rule" },
        { type: "someFutureNode", content: [{ type: "paragraph", content: [{ type: "text", text: "still here" }] }] },
      ],
    };
    expect(adfToMarkdown(doc)).toBe(
      "@Ana please look 🔥  \nhttps://jira.example.com/browse/SUP-1 ~~gone~~\n\n> Heads up\n\n| Host | State |\n| --- | --- |\n| db1 | a\\|b |\n\n[attachment]\n\n---\n\nstill here",
    );
    expect(jiraBodyToPlainText(doc)).toContain("@Ana please look 🔥\nhttps://jira.example.com/browse/SUP-1 gone");
  });

  it("reads wiki strings (webhook captures and DC)", () => {
    expect(jiraBodyToMarkdown("h2. Steps\n*bold* and _it_ with {{code}} and [a link|https://x.example]")).toBe("## Steps\n**bold** and *it* with `code` and [a link](https://x.example)");
    expect(jiraBodyToMarkdown("wd\n\ndwd")).toBe("wd\n\ndwd");
    expect(jiraBodyToPlainText("h2. Steps\n*bold* and {{code}} and [a link|https://x.example]")).toBe("Steps\nbold and code and a link (https://x.example)");
    expect(jiraBodyToPlainText("a well-known fact")).toBe("a well-known fact");
    expect(jiraBodyToMarkdown(null)).toBe("");
    expect(jiraBodyToMarkdown({ not: "adf" })).toBe("");
  });
});

describe("Jira timestamps", () => {
  it("parses offsets without a colon", () => {
    expect(parseJiraTime("2019-02-15T19:01:52.971-0800")).toEqual(new Date("2019-02-16T03:01:52.971Z"));
    expect(parseJiraTime("2026-12-01T10:00:00.000+0000")).toEqual(new Date("2026-12-01T10:00:00.000Z"));
    expect(parseJiraTime("yesterday")).toBeNull();
    expect(parseJiraTime(undefined)).toBeNull();
  });
});
