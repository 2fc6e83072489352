import assert from "node:assert/strict";
import type { Journey } from "../harness/journey.js";
import { eventually, expectText, expectVisible } from "../harness/expect.js";

export const customerSeesReply: Journey = {
  name: "the customer sees the agent's reply arrive (never the note), replies, and the ticket moves back to in progress",
  async run(w) {
    const number = w.made.ticketNumber!;
    const { page } = w.customerTab!;
    await page.goto(`/tickets/${number}`);
    await expectVisible(page.getByText(w.made.replyText!), "the agent's reply");
    await expectText(page.locator(".page-head .badge"), "Waiting on you", "the status, in the customer's words");
    assert.equal(await page.getByTestId("internal-note").count(), 0, "no note in the customer's thread");
    assert.equal((await page.content()).includes(w.made.noteText!), false, "the note's text is nowhere in the page");
    // Nor anywhere the portal could fetch it from.
    const fetched = await page.evaluate(async (n) => {
      const texts = await Promise.all([`/api/v1/tickets/${n}`, `/api/v1/tickets/${n}/messages`, `/api/v1/tickets/${n}/events`].map((u) => fetch(u).then((r) => r.text())));
      return texts.join("\n");
    }, number);
    assert.equal(fetched.includes(w.made.noteText!), false, "the API never gives the customer the note");
    assert.equal(fetched.includes(w.made.replyText!), true, "the API gives the customer the reply");

    await page.getByLabel("Your message").fill("Switched profiles, it has held for ten minutes now. I'll keep an eye on it.");
    await page.getByRole("button", { name: "Send reply" }).click();
    await expectText(page.locator(".page-head .badge"), "In progress", "the status after the customer's reply");
    await expectVisible(page.locator(".history").getByText("Status: Waiting on customer → In progress"), "the change in the status history");
    await w.customerTab!.screenshot("portal-ticket-conversation");

    // The agent, still on the ticket, sees the customer's answer and the status without reloading.
    const agent = w.agentTab!.page;
    await expectVisible(agent.getByText("Switched profiles, it has held"), "the customer's reply on the agent's screen", 15_000);
    await eventually("the agent's status control shows In progress", async () => (await agent.getByLabel("Status").inputValue()) === "in_progress");
  },
};
