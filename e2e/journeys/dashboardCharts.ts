import assert from "node:assert/strict";
import type { Locator } from "playwright-core";
import type { Journey } from "../harness/journey.js";
import { eventually, expectAttribute, expectVisible } from "../harness/expect.js";
import { signIn } from "../harness/signIn.js";
import type { World } from "../harness/world.js";

/** The numbers under a chart: opens "Show numbers" and reads the table's body rows as text cells. */
async function numbersOf(card: Locator): Promise<string[][]> {
  const details = card.locator("details.chart-numbers");
  if ((await details.getAttribute("open")) === null) await details.locator("summary").click();
  await expectVisible(details.locator("table"), "the numbers table");
  return details.locator("tbody tr").evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? "").trim())));
}

/**
 * Some history for every panel, made through the API as an admin would: a ticket answered and
 * resolved (first response, resolution, SLA clocks met), and one the agent is working on.
 */
async function makeHistory(w: World): Promise<void> {
  const { items } = await w.admin.call<{ items: { id: string; email: string }[] }>("GET", `/users?role=agent&q=${encodeURIComponent(w.agent.email)}`);
  const agentId = items.find((u) => u.email === w.agent.email)?.id;
  assert.ok(agentId, "the agent's id");
  const file = (subject: string) =>
    w.admin.call<{ id: string }>("POST", "/tickets", {
      email: "dana@elsewhere.e2e.test",
      subject,
      description: "Filed by the dashboard journey so every chart has something to show.",
      priority: "high",
      assigneeId: agentId,
    });
  const answered = await file("Dashboard: a question answered and resolved");
  await w.admin.call("POST", `/tickets/${answered.id}/messages`, { body: "Here is the answer you need." });
  await w.admin.call("PATCH", `/tickets/${answered.id}`, { status: "resolved" });
  const working = await file("Dashboard: a question being worked on");
  await w.admin.call("PATCH", `/tickets/${working.id}`, { status: "in_progress" });
}

export const dashboardCharts: Journey = {
  name: "Dashboard: an agent sees charts with their numbers",
  run: async (w) => {
    await makeHistory(w);
    const tab = await w.open("dashboard");
    await signIn(tab, w.agent, /\/desk$/);
    const { page } = tab;
    await page.getByRole("navigation", { name: "Desk" }).getByRole("link", { name: "Dashboard" }).click();
    await page.waitForURL(/\/desk\/dashboard$/);
    await expectVisible(page.getByRole("heading", { name: "Dashboard", level: 1 }), "the dashboard's heading");

    const perDay = page.getByRole("region", { name: "Tickets created and resolved per day" });
    const backlog = page.getByRole("region", { name: "Backlog by priority" });
    for (const [card, what] of [[perDay, "tickets per day"], [backlog, "backlog"]] as const) {
      await expectVisible(card.locator(".chart svg.recharts-surface"), `the ${what} chart`);
      await eventually(`the ${what} chart draws its data`, async () => (await card.locator(".recharts-line-curve, .recharts-bar-rectangle").count()) > 0);
    }
    for (const title of ["SLA compliance", "Time to first response", "Time to resolution", "Load per agent"]) {
      const card = page.getByRole("region", { name: title });
      await expectVisible(card.locator(".chart svg.recharts-surface"), `the ${title} chart`);
      await eventually(`the ${title} chart draws its bars`, async () => (await card.locator(".recharts-bar-rectangle").count()) > 0);
    }

    await tab.screenshot("desk-dashboard");

    // Today's row counts the tickets the earlier journeys filed today (seeded and through the portal).
    const today = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date());
    const days = await numbersOf(perDay);
    assert.equal(days.length, 30, "the default range is 30 days, each with a row");
    const todayRow = days.find((cells) => cells[0] === today);
    assert.ok(todayRow, `a row for today (${today})`);
    assert.ok(Number(todayRow[1]) >= 1, `at least one ticket created today, got ${todayRow[1]}`);
    // A fresh database: the other days are there, as zeros (two spared for a run across midnight).
    assert.ok(days.filter((cells) => cells[1] === "0").length >= 28, "the days without tickets are listed as zeros");

    const priorities = await numbersOf(backlog);
    assert.deepEqual(priorities.map((cells) => cells[0]), ["Low", "Medium", "High", "Urgent"]);
    assert.ok(priorities.reduce((n, cells) => n + Number(cells[1]), 0) >= 1, "the backlog holds the open tickets");
    const agents = await numbersOf(page.getByRole("region", { name: "Load per agent" }));
    const agentRow = agents.find((cells) => cells[0] === w.agent.name);
    assert.ok(agentRow, "the agent is listed in the load table");
    assert.ok(Number(agentRow[2]) >= 1 && Number(agentRow[4]) >= 1, `the agent holds a ticket in progress and resolved one: ${agentRow.join(" | ")}`);
    for (const title of ["Time to first response", "Time to resolution"]) {
      const card = page.getByRole("region", { name: title });
      const buckets = await numbersOf(card);
      assert.ok(Number(buckets[0]![1]) >= 1, `${title}: the ticket answered minutes ago is under 15 minutes`);
      await expectVisible(card.locator(".chart-figures dd").filter({ hasText: /min$/ }), `${title}: the median in minutes`);
    }
    const sla = await numbersOf(page.getByRole("region", { name: "SLA compliance" }));
    const firstResponse = sla.find((cells) => cells[0] === "First response");
    assert.ok(firstResponse && Number(firstResponse[1]) >= 1 && /%$/.test(firstResponse[4]!), `first responses met in time: ${String(firstResponse)}`);

    await tab.screenshot("desk-dashboard-numbers");

    // Another range: the button says it is chosen, the URL keeps it, and the days follow.
    const week = page.getByRole("group", { name: "Range" }).getByRole("button", { name: "Last 7 days" });
    await week.click();
    await page.waitForURL(/\/desk\/dashboard\?days=7$/);
    await expectAttribute(week, "aria-pressed", "true", "the 7-day button");
    await eventually("the table shows 7 days", async () => (await perDay.locator("tbody tr").count()) === 7);
    const weekDays = await numbersOf(perDay);
    assert.ok(Number(weekDays.at(-1)![1]) >= 1, "today is the last of the 7 days and counts its tickets");
  },
};
