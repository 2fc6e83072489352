import assert from "node:assert/strict";
import type { Journey } from "../harness/journey.js";
import { eventually, expectAttribute, expectHidden, expectText, expectVisible } from "../harness/expect.js";

export const queueKeyboard: Journey = {
  name: "an agent drives the queue and the ticket from the keyboard: j/k, /, Enter, n, r, a",
  async run(w) {
    const number = w.made.ticketNumber!;
    const { page } = w.agentTab!;
    await page.goto("/desk");
    const rows = page.locator("table.queue-table tbody tr");
    // 54 open tickets: a first page of 50, the rest by cursor.
    await eventually("the queue's first page holds 50 tickets", async () => (await rows.count()) === 50);
    await page.getByRole("button", { name: "Load more" }).click();
    await eventually("Load more brings the other four", async () => (await rows.count()) === 54);
    const all = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-number")));
    if (new Set(all).size !== all.length) throw new Error("the second page repeated tickets from the first");
    await expectHidden(page.getByRole("button", { name: "Load more" }), "Load more, once everything is shown");
    const numbers = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-number")));
    const selected = page.locator("table.queue-table tbody tr[aria-selected=true]");
    await expectAttribute(selected, "data-number", numbers[0]!, "the first row, selected at the start");
    await page.keyboard.press("j");
    await expectAttribute(selected, "data-number", numbers[1]!, "the second row after j");
    await page.keyboard.press("j");
    await expectAttribute(selected, "data-number", numbers[2]!, "the third row after j j");
    await page.keyboard.press("k");
    await expectAttribute(selected, "data-number", numbers[1]!, "the second row after k");
    await page.evaluate(() => window.scrollTo(0, 0));
    await w.agentTab!.screenshot("desk-queue-keyboard", false);

    await page.keyboard.press("/");
    const search = page.getByLabel("Search");
    await eventually("/ focuses the search", () => search.evaluate((el) => el === document.activeElement));
    await page.keyboard.type("VPN");
    await page.keyboard.press("Enter");
    await eventually("the search leaves only the VPN ticket", async () => (await rows.count()) === 1 && (await rows.first().getAttribute("data-number")) === number);
    await page.keyboard.press("Escape");
    await eventually("Escape leaves the search box", () => search.evaluate((el) => el !== document.activeElement));
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/desk/tickets/${number}$`));

    const box = page.locator("form.reply-box");
    await expectVisible(box, "the reply box");
    await page.keyboard.press("n");
    await expectAttribute(box, "data-mode", "note", "the box after n");
    assert.equal(await page.locator("#reply-body").evaluate((el) => el === document.activeElement), true, "n puts the cursor in the note");
    await page.keyboard.press("Escape");
    await page.keyboard.press("r");
    await expectAttribute(box, "data-mode", "reply", "the box after r");
    await page.keyboard.press("Escape");
    await page.keyboard.press("a");
    await expectText(page.locator(".meta"), `assigned to ${w.agent.name}`, "the ticket after a");
    await eventually("the assignee control shows the agent", async () => (await page.getByLabel("Assignee").locator("option:checked").textContent()) === w.agent.name);
    await expectVisible(page.locator(".history").getByText(`Assigned to ${w.agent.name}`), "the assignment in history");
    await w.agentTab!.screenshot("desk-ticket-keyboard");

    // u goes back to the queue; the assignee filter runs on the server and lives in the URL.
    await page.keyboard.press("u");
    await page.waitForURL(/\/desk$/);
    await page.getByLabel("Assignee").selectOption("me");
    await page.waitForURL(/assignee=me/);
    await eventually("the queue shows only the ticket assigned to me", async () => (await rows.count()) === 1 && (await rows.first().getAttribute("data-number")) === number);
    await page.getByLabel("Assignee").selectOption("unassigned");
    await eventually("the unassigned view leaves it out", async () => (await rows.count()) >= 3 && (await page.locator(`tr[data-number="${number}"]`).count()) === 0);
    await page.getByLabel("Category").selectOption("billing");
    await eventually("billing and unassigned: the VAT invoice only", async () => (await rows.count()) === 1 && /VAT/.test((await rows.first().textContent()) ?? ""));
  },
};
