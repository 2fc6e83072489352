import { describe, expect, it } from "vitest";
import {
  allowedNextStatuses,
  canReopen,
  canTransition,
  statusAfterCustomerReply,
  ticketStatuses,
} from "./ticketStatus.js";

describe("ticket status machine", () => {
  it("follows the main path open → in_progress → waiting_on_customer → resolved → closed", () => {
    expect(canTransition("open", "in_progress")).toBe(true);
    expect(canTransition("in_progress", "waiting_on_customer")).toBe(true);
    expect(canTransition("waiting_on_customer", "resolved")).toBe(true);
    expect(canTransition("resolved", "closed")).toBe(true);
  });

  it("treats closed as final for plain transitions", () => {
    for (const to of ticketStatuses) expect(canTransition("closed", to)).toBe(false);
    expect(allowedNextStatuses("closed")).toEqual([]);
  });

  it("never allows a self-transition", () => {
    for (const s of ticketStatuses) expect(canTransition(s, s)).toBe(false);
  });

  it("reopens resolved and closed tickets unless merged", () => {
    expect(canReopen("resolved", false)).toBe(true);
    expect(canReopen("closed", false)).toBe(true);
    expect(canReopen("closed", true)).toBe(false);
    expect(canReopen("open", false)).toBe(false);
  });

  it("moves waiting_on_customer and resolved to in_progress on a customer reply", () => {
    expect(statusAfterCustomerReply("waiting_on_customer")).toBe("in_progress");
    expect(statusAfterCustomerReply("resolved")).toBe("in_progress");
    expect(statusAfterCustomerReply("open")).toBeNull();
    expect(statusAfterCustomerReply("closed")).toBeNull();
  });

  it("does not let pending_approval skip straight to resolved", () => {
    expect(canTransition("pending_approval", "resolved")).toBe(false);
  });
});
