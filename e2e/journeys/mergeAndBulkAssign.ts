import assert from "node:assert/strict";
import type { Journey } from "../harness/journey.js";
import { eventually, expectHidden, expectText, expectVisible } from "../harness/expect.js";

type Made = { id: string; number: string };

const requester = "dana@printers.e2e.test";

export const mergeAndBulkAssign: Journey = {
  name: "Merge and bulk: an agent merges two tickets and bulk-assigns three",
  async run(w) {
    const tab = w.agentTab!;
    const { page } = tab;
    const file = (subject: string, description: string) =>
      w.admin.call<Made>("POST", "/tickets", { email: requester, subject, description, priority: "medium", category: "technical" });

    // Data through the API, as a script would: a duplicate pair, three look-alikes, and a second agent.
    const source = await file("Printer on floor three jams all the time", "Every second page jams in tray two.");
    const target = await file("Floor three printer keeps jamming paper", "The big printer by the kitchen jams several times a day.");
    const movedText = "Toner was replaced last week and it still jams.";
    await w.admin.call("POST", `/tickets/${source.number}/messages`, { body: movedText, internal: true });
    const trio = [];
    for (const n of [1, 2, 3]) trio.push(await file(`Quokka badge reader offline at door ${n}`, `The badge reader at door ${n} shows a red light.`));
    const pair = [await file("Wombat scanner shows error E4", "The scanner stops with E4."), await file("Wombat scanner E4 again", "Same E4 error as before.")];
    const blair = { name: "Blair Agent", email: "blair.agent@e2e.test", password: "blair-password-123" };
    await w.admin.call("POST", "/users", { ...blair, role: "agent" });

    // Merge from the ticket page: the dialog opens, closes on Escape, then finds, explains, merges.
    await page.goto(`/desk/tickets/${source.number}`);
    const mergeButton = page.getByRole("button", { name: "Merge…", exact: true });
    await mergeButton.click();
    const dialog = page.getByRole("dialog", { name: `Merge ${source.number} into another ticket` });
    await expectVisible(dialog, "the merge dialog");
    assert.equal(await dialog.getByLabel("Find the ticket to keep").evaluate((el) => el === document.activeElement), true, "focus starts in the dialog's search");
    await page.keyboard.press("Escape");
    await expectHidden(dialog, "the merge dialog after Escape");
    await eventually("focus returns to the Merge button", () => mergeButton.evaluate((el) => el === document.activeElement));

    await mergeButton.click();
    await dialog.getByLabel("Find the ticket to keep").fill("jamming printer");
    await dialog.getByRole("button", { name: "Find", exact: true }).click();
    const pick = dialog.getByRole("radio", { name: new RegExp(target.number) });
    await expectVisible(pick, "the target among the candidates");
    assert.equal(await dialog.getByRole("radio", { name: new RegExp(source.number) }).count(), 0, "the ticket itself is not offered");
    // A number finds the ticket too, with the source's prefix implied.
    await dialog.getByLabel("Find the ticket to keep").fill(String(Number(target.number.replace(/\D/g, ""))));
    await dialog.getByRole("button", { name: "Find", exact: true }).click();
    await eventually("the number finds only the target", async () => (await dialog.getByRole("radio").count()) === 1 && (await pick.isVisible()));
    await pick.check();
    await expectText(dialog.locator(".merge-consequence"), `${source.number} will be closed and its messages and attachments moved to ${target.number}`, "the consequence");
    await tab.screenshot("desk-merge-dialog", false);
    await dialog.getByRole("button", { name: `Merge ${source.number} into ${target.number}` }).click();
    await page.waitForURL(new RegExp(`/desk/tickets/${target.number}$`));
    await expectText(page.getByTestId("internal-note").filter({ hasText: movedText }), movedText, "the source's note, now on the target");
    await expectVisible(page.getByTestId("internal-note").filter({ hasText: `Merged from ${source.number}` }), "the source's description on the target");

    // The Jira panel on the target: no connection here, so the server's refusal is shown in its words.
    const jira = page.locator(".jira-panel");
    await expectText(jira, "No linked issues.", "the empty Jira panel");
    tab.allowHttpError(409, `/api/v1/tickets/${target.number}/jira`);
    await jira.getByRole("button", { name: "Escalate to Jira" }).click();
    await expectText(jira.getByRole("alert"), "Jira is not connected", "the escalation refusal");
    await jira.getByLabel("Link existing issue").fill("not a key");
    await jira.getByRole("button", { name: "Link", exact: true }).click();
    await expectText(jira.locator(".field-error"), "Enter a Jira issue key like ABC-123.", "the key's error");
    await tab.screenshot("desk-jira-panel");

    await page.goto(`/desk/tickets/${source.number}`);
    await expectText(page.locator(".merged-notice"), target.number, "the merged notice on the source");
    await expectText(page.locator(".page-head .badge").first(), "Closed", "the source's status");
    assert.equal(await page.getByRole("button", { name: "Merge…", exact: true }).count(), 0, "a merged ticket offers no second merge");

    // Bulk: two rows ticked with the mouse, the third with x; assign all three to Blair.
    await page.goto("/desk?q=quokka");
    const rows = page.locator("table.queue-table tbody tr");
    await eventually("the queue shows the three quokka tickets", async () => (await rows.count()) === 3);
    const numbers = (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-number") ?? ""))).filter(Boolean);
    assert.deepEqual([...numbers].sort(), trio.map((t) => t.number).sort());
    await page.getByRole("checkbox", { name: `Select ${numbers[0]}` }).check();
    await page.getByRole("checkbox", { name: `Select ${numbers[1]}` }).check();
    await page.keyboard.press("j");
    await page.keyboard.press("x");
    await expectText(page.locator(".bulk-count"), "3 selected", "the action bar");
    assert.equal(await page.getByRole("checkbox", { name: "Select all tickets on this page" }).isChecked(), true, "select-all shows all ticked");
    await page.getByLabel("Assign to", { exact: true }).selectOption({ label: blair.name });
    await page.getByRole("button", { name: "Apply to 3 tickets" }).click();
    const results = page.locator(".bulk-results");
    await expectText(results.locator("h2"), "3 done", "the bulk results");
    for (const n of numbers) {
      await expectText(results.locator(`li[data-number="${n}"]`), `assigned to ${blair.name}`, `${n}'s result`);
      await expectText(page.locator(`tr[data-number="${n}"]`), blair.name, `${n}'s assignee column`);
    }
    await expectHidden(page.locator(".bulk-bar"), "the action bar once nothing failed");
    await tab.screenshot("desk-bulk-results", false);

    // Merge from the queue: tick both look-alikes with "select all", keep the first, merge the other into it.
    await page.goto("/desk?q=wombat&status=all");
    await eventually("the queue shows the two wombat tickets", async () => (await rows.count()) === 2);
    await page.getByRole("checkbox", { name: "Select all tickets on this page" }).check();
    await page.getByRole("button", { name: "Merge selected…", exact: true }).click();
    const bulkMerge = page.getByRole("dialog", { name: "Merge 2 tickets into one" });
    const [kept, gone] = pair as [Made, Made];
    await bulkMerge.getByRole("radio", { name: new RegExp(kept.number) }).check();
    await expectText(bulkMerge.locator(".merge-consequence"), `${gone.number} will be closed and its messages and attachments moved to ${kept.number}`, "the bulk merge's consequence");
    await bulkMerge.getByRole("button", { name: `Merge 1 into ${kept.number}` }).click();
    await expectText(results.locator(`li[data-number="${gone.number}"]`), `merged into ${kept.number}`, "the merged ticket's result");
    // A refused row keeps its tick and says why: the merged ticket is closed for good.
    await page.getByRole("checkbox", { name: "Select all tickets on this page" }).check();
    await page.getByLabel("Set status", { exact: true }).selectOption("in_progress");
    await page.getByRole("button", { name: "Apply to 2 tickets" }).click();
    await expectText(results.locator("h2"), "1 done, 1 refused", "the mixed results");
    await expectText(results.locator(`li[data-number="${kept.number}"]`), "status In progress", "the kept ticket's result");
    await expectText(results.locator(`li.row-failed[data-number="${gone.number}"]`), /closed|merged/i, "the merged ticket's refusal");
    await expectText(page.locator(".bulk-count"), "1 selected", "the refused ticket, still selected");
    assert.equal(await page.getByRole("checkbox", { name: `Select ${gone.number}` }).isChecked(), true, "the refused row stays ticked");
    await page.getByRole("button", { name: "Clear selection" }).click();

    // The CSV of the quokka view holds the same three tickets.
    await page.goto("/desk?q=quokka");
    await eventually("the quokka view again", async () => (await rows.count()) === 3);
    const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    if (!href?.includes("q=quokka")) throw new Error(`the export link should carry the filters: ${href}`);
    const csv = await page.request.get(href);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()["content-type"] ?? "", /text\/csv/);
    const text = await csv.text();
    for (const n of numbers) assert.ok(text.includes(n), `the CSV lists ${n}`);

    // Saved views: save this one (shared), refuse the same name twice, apply it from a clean queue, delete it.
    await page.getByRole("button", { name: "Views", exact: true }).click();
    const panel = page.locator("#views-panel");
    await panel.getByLabel("View name").fill("Quokka doors");
    await panel.getByLabel("Share with all agents").check();
    await panel.getByRole("button", { name: "Save current view" }).click();
    await expectVisible(panel.getByRole("button", { name: "Quokka doors", exact: true }), "the saved view under My views");
    tab.allowHttpError(409, "/api/v1/views");
    await panel.getByLabel("View name").fill("Quokka doors");
    await panel.getByRole("button", { name: "Save current view" }).click();
    await expectVisible(panel.locator("#view-name-error"), "the duplicate name's error beside the field");
    await tab.screenshot("desk-saved-views", false);

    await page.goto("/desk");
    await eventually("the full queue is back", async () => (await rows.count()) > 3);
    await page.getByRole("button", { name: "Views", exact: true }).click();
    await panel.getByRole("button", { name: "Quokka doors", exact: true }).click();
    await page.waitForURL(/q=quokka/);
    await eventually("the view brings back the three tickets", async () => (await rows.count()) === 3);
    await page.getByRole("button", { name: "Views", exact: true }).click();
    await panel.getByRole("button", { name: "Delete view Quokka doors" }).click();
    await expectHidden(panel.getByRole("button", { name: "Quokka doors", exact: true }), "the deleted view");
  },
};
