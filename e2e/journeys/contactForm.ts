import assert from "node:assert/strict";
import type { Journey } from "../harness/journey.js";
import { expectText, expectVisible } from "../harness/expect.js";

export const contactForm: Journey = {
  name: "an anonymous visitor uses the contact form on a phone, gets a ticket number on screen and a confirmation mail",
  async run(w) {
    const visitor = await w.open("visitor", { width: 390, height: 844 });
    const { page } = visitor;
    await page.goto("/");
    await page.getByRole("link", { name: "Contact support" }).click();
    await page.waitForURL(/\/contact$/);
    await page.getByLabel("Your email").fill("not-an-address");
    await page.getByLabel("Subject").fill("Order arrived damaged");
    await page.getByLabel("How can we help?").fill("The box was crushed and two of the three mugs inside are broken.");
    await page.getByRole("button", { name: "Send" }).click();
    await expectText(page.locator(".field-error"), "Enter an email address", "the email's error");
    await page.getByLabel("Your email").fill("visitor@example.e2e.test");
    await page.getByRole("button", { name: "Send" }).click();
    const shown = page.getByTestId("ticket-number");
    await expectVisible(shown, "the ticket number");
    const number = (await shown.textContent())?.trim() ?? "";
    assert.match(number, /^SUP-\d+$/);
    await visitor.screenshot("portal-contact-number");
    const mail = await w.mailTo("visitor@example.e2e.test", new RegExp(number));
    assert.match(mail, /We received your request/);
  },
};
