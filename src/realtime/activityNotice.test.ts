import { describe, expect, it } from "vitest";
import { decodeNotice, encodeNotice, toNotice } from "./activityNotice.js";

const ticketId = "6f1c1c52-7d8e-4a57-9a3c-2f4f7a1e9b10";
const messageId = "0b7e7a43-3c55-4d6a-8d4c-5f0a6f7f2a11";
const at = new Date("2026-03-02T09:00:00Z");

describe("activity notices", () => {
  it("carry ids and types, never text", () => {
    const notice = toNotice({
      ticketId,
      actorId: null,
      channel: "api",
      at,
      events: [
        { type: "note.added", to: { messageId, attachments: 0, authorSide: "staff" } },
        { type: "ticket.subject_changed", field: "subject", from: "old secret subject", to: "new secret subject" },
        { type: "attachment.added", to: { id: messageId, filename: "passwords.txt", internal: true } },
        { type: "sla.warning", to: { metric: "first_response", threshold: 90 } },
      ],
    });
    expect(notice).toEqual({
      ticketId,
      at: at.toISOString(),
      events: [
        { type: "note.added", messageId },
        { type: "ticket.subject_changed" },
        { type: "attachment.added", internal: true },
        { type: "sla.warning", metric: "first_response", threshold: 90 },
      ],
    });
    const payload = encodeNotice(notice);
    expect(payload).not.toContain("secret");
    expect(payload).not.toContain("passwords.txt");
    expect(decodeNotice(payload)).toEqual(notice);
  });

  it("stay under PostgreSQL's 8000-byte NOTIFY limit however many events an activity has", () => {
    const events = Array.from({ length: 500 }, () => ({ type: "reply.added", to: { messageId } }));
    const payload = encodeNotice(toNotice({ ticketId, actorId: null, channel: "api", at, events }));
    expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    expect(decodeNotice(payload)).toEqual({ ticketId, at: at.toISOString(), events: [{ type: "reply.added" }] });
  });

  it("decode to null when a payload is not one of ours", () => {
    for (const payload of ["", "not json", "{}", JSON.stringify({ ticketId: "x", at: at.toISOString(), events: [] })]) {
      expect(decodeNotice(payload)).toBeNull();
    }
  });
});
