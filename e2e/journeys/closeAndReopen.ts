import type { Journey } from "../harness/journey.js";
import { expectText, expectVisible } from "../harness/expect.js";

export const closeAndReopen: Journey = {
  name: "the customer closes the ticket, finds it under Closed, and reopens it",
  async run(w) {
    const number = w.made.ticketNumber!;
    const { page } = w.customerTab!;
    await page.goto(`/tickets/${number}`);
    await page.getByRole("button", { name: "Close this request" }).click();
    await expectText(page.locator(".page-head .badge"), "Closed", "the status after closing");
    await expectVisible(page.getByText("This request is closed. Reopen it to write to us again."), "the closed notice instead of the reply box");

    await page.getByRole("link", { name: "My tickets" }).first().click();
    await page.getByRole("button", { name: "Closed" }).click();
    await expectVisible(page.getByRole("row").filter({ hasText: number }), "the ticket under Closed");
    await page.getByRole("link", { name: w.made.ticketSubject! }).click();

    await page.getByRole("button", { name: "Reopen" }).click();
    await expectText(page.locator(".page-head .badge"), "Open", "the status after reopening");
    await expectVisible(page.locator(".history").getByText(/^Reopened/), "the reopening in the status history");
    await expectVisible(page.getByLabel("Your message"), "the reply box again");
    await w.customerTab!.screenshot("portal-ticket-reopened");
  },
};
