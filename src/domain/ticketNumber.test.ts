import { describe, expect, it } from "vitest";
import { formatTicketNumber, looksLikeTicketNumber, numberPrefixFor } from "./ticketNumber.js";

describe("ticket numbers", () => {
  it("pads to five digits and keeps growing", () => {
    expect(formatTicketNumber("SUP-", 42)).toBe("SUP-00042");
    expect(formatTicketNumber("SUP-", 123456)).toBe("SUP-123456");
  });
  it("uses the per-source prefixes", () => {
    expect(numberPrefixFor("portal")).toBe("SUP-");
    expect(numberPrefixFor("api")).toBe("SUP-");
    expect(numberPrefixFor("email")).toBe("EML-");
    expect(numberPrefixFor("whatsapp")).toBe("WA-");
    expect(numberPrefixFor("qcontact")).toBe("FT");
    expect(numberPrefixFor("jira")).toBe("JRA-");
    expect(numberPrefixFor("internal")).toBe("INT-");
  });
  it("recognises numbers and rejects uuids", () => {
    expect(looksLikeTicketNumber("SUP-00001")).toBe(true);
    expect(looksLikeTicketNumber("FT00012")).toBe(true);
    expect(looksLikeTicketNumber("5f0c4a1e-8d43-4c43-9d5f-1b0a2d9c6e11")).toBe(false);
  });
});
