import type { Journey } from "../harness/journey.js";
import { expectAttribute, expectText, expectVisible } from "../harness/expect.js";

export const agentNoteAndReply: Journey = {
  name: "an agent opens the ticket from the queue, adds an internal note and a public reply with the toggle, and changes the status",
  async run(w) {
    const number = w.made.ticketNumber!;
    const { page } = w.agentTab!;
    await page.locator(`tr[data-number="${number}"]`).getByRole("link").click();
    await page.waitForURL(new RegExp(`/desk/tickets/${number}$`));
    await expectVisible(page.getByRole("link", { name: "vpn-client.log" }), "the customer's file");

    const box = page.locator("form.reply-box");
    await expectAttribute(box, "data-mode", "reply", "the reply box (public by default)");
    await page.getByRole("button", { name: /Internal note/ }).click();
    await expectAttribute(box, "data-mode", "note", "the reply box after the toggle");
    await expectVisible(page.getByText("Only agents see this. It is never sent to the customer."), "the note's warning");
    w.made.noteText = "Customer is still on the legacy VPN profile; check gateway logs before we answer.";
    await page.getByLabel("Internal note").fill(w.made.noteText);
    await page.getByRole("button", { name: "Add internal note" }).click();
    await expectText(page.getByTestId("internal-note"), w.made.noteText, "the note in the thread");
    await expectText(page.getByTestId("internal-note"), "Internal note", "the note's label");
    await w.agentTab!.screenshot("desk-ticket-note-mode");

    await page.getByRole("button", { name: /Public reply/ }).click();
    await expectAttribute(box, "data-mode", "reply", "the reply box back in public mode");
    w.made.replyText = "Thanks for the log. Please switch to the new VPN profile from the portal and tell us if it still drops.";
    await page.getByLabel("Reply to the customer").fill(w.made.replyText);
    await page.getByRole("button", { name: "Send reply to customer" }).click();
    await expectText(page.getByTestId("public-message").last(), w.made.replyText, "the reply in the thread");

    await page.getByLabel("Status").selectOption("waiting_on_customer");
    await expectText(page.locator(".page-head .badge").first(), "Waiting on customer", "the status badge");
    await expectVisible(page.locator(".history").getByText("Status: Open → Waiting on customer"), "the status change in history");
    await expectVisible(page.locator(".sla-clocks"), "the SLA panel");
    await w.agentTab!.screenshot("desk-ticket-reply-and-note");
  },
};
