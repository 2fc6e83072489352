import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { agentReplyEmail, escapeHtml, slaEscalationEmail, ticketReceivedEmail, ticketResolvedEmail } from "../../src/connectors/email/outbound/templates.js";
import { createMessageId, deriveThreadingKey, threadHeaders, verifyMessageId } from "../../src/connectors/email/outbound/threading.js";

const facts = { number: "SUP-00042", subject: `<b>"Printer" & co</b>`, portalUrl: "https://s.example.test/tickets/SUP-00042?a=1&b=2" };

describe("mail templates", () => {
  it("escape every value they put in HTML, and keep plain text plain", () => {
    for (const mail of [ticketReceivedEmail(facts), ticketResolvedEmail(facts), agentReplyEmail(facts, { authorName: "<Eve>", body: "<script>x()</script>\nline" }), slaEscalationEmail({ ...facts, priority: "urgent", dueAt: null })]) {
      expect(mail.subject.startsWith("[SUP-00042] ")).toBe(true);
      expect(mail.html).not.toMatch(/<script|<b>|<Eve>/);
      expect(mail.html).toContain(escapeHtml(facts.subject));
      expect(mail.html).toContain('href="https://s.example.test/tickets/SUP-00042?a=1&amp;b=2"');
      expect(mail.text).toContain(facts.portalUrl);
    }
    expect(agentReplyEmail(facts, { authorName: "A", body: "x" }).isAutomatic).toBe(false);
    expect(ticketReceivedEmail(facts).isAutomatic).toBe(true);
  });
});

describe("threading", () => {
  const key = deriveThreadingKey(Buffer.alloc(32, 1));
  it("signs Message-IDs so only this install's key accepts them", () => {
    const ticketId = randomUUID();
    const id = createMessageId(key, ticketId);
    expect(createMessageId(key, ticketId)).not.toBe(id);
    expect(verifyMessageId(key, id)).toEqual({ ticketId });
    expect(verifyMessageId(key, `<${id}>`)).toEqual({ ticketId });
    expect(verifyMessageId(key, id.replace(ticketId, randomUUID()))).toBeNull();
    expect(verifyMessageId(deriveThreadingKey(Buffer.alloc(32, 2)), id)).toBeNull();
    expect(verifyMessageId(key, "<CAF=abc@mail.gmail.com>")).toBeNull();
    // Derived, never the secret key itself (which encrypts secrets at rest).
    expect(key.equals(Buffer.alloc(32, 1))).toBe(false);
  });
  it("builds In-Reply-To and References from the thread, oldest first", () => {
    expect(threadHeaders([])).toEqual({});
    expect(threadHeaders(["a@s", "b@s"])).toEqual({ inReplyTo: "<b@s>", references: ["<a@s>", "<b@s>"] });
    const long = Array.from({ length: 15 }, (_, i) => `${i}@s`);
    const { references } = threadHeaders(long);
    expect(references).toHaveLength(10);
    expect(references![0]).toBe("<0@s>");
    expect(references!.at(-1)).toBe("<14@s>");
  });
});
