import type { Journey } from "../harness/journey.js";
import { expectText, expectVisible } from "../harness/expect.js";

export const magicLink: Journey = {
  name: "a customer signs in with a link from their email",
  async run(w) {
    const tab = await w.open("magic-link");
    const { page } = tab;
    await page.goto("/login");
    await page.getByRole("button", { name: "With an email link" }).click();
    await page.getByLabel("Email").fill(w.customer.email);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expectVisible(page.getByText("Check your email."), "the confirmation");
    const mail = await w.mailTo(w.customer.email, /\/login\/magic#token=/);
    const link = /https?:\/\/\S+\/login\/magic#token=[^\s>"]+/.exec(mail)?.[0];
    if (!link) throw new Error(`no sign-in link in the mail:\n${mail}`);
    await page.goto(link);
    await page.waitForURL(/\/tickets$/);
    await expectVisible(page.getByRole("heading", { name: "My tickets" }), "My tickets");
    await expectText(page.locator(".portal-footer"), `Signed in as ${w.customer.email}`, "the signed-in footer");
    if (page.url().includes("token=")) throw new Error("the token stayed in the address bar");
    await tab.screenshot("portal-magic-link-signed-in");
  },
};
