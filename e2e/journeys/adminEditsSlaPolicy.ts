import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import type { ApiClient } from "../harness/api.js";
import type { Tab } from "../harness/browser.js";
import type { Journey } from "../harness/journey.js";
import { eventually, expectHidden, expectText, expectVisible } from "../harness/expect.js";
import { signIn } from "../harness/signIn.js";
import type { Person, World } from "../harness/world.js";

type Clock = { metric: string; state: string; targetSeconds: number; dueAt: string | null; policy: { id: string; version: number; name: string } | null };
type Calendar = { id: string; isDefault: boolean };

const pausedJira = {
  id: "7d0c5a8e-1c1e-4b8e-9d3a-2f4f3c1b2a10",
  system: "jira",
  status: "auth_failed",
  lastError: "Jira answered 401 Unauthorized: the API token was revoked",
  lastErrorAt: "2026-11-30T14:05:00.000Z",
  lastSyncAt: "2026-11-30T14:00:00.000Z",
  syncedUntil: "2026-11-30T13:59:00.000Z",
  updatedAt: "2026-11-30T14:05:00.000Z",
  settings: { deployment: "cloud", baseUrl: "https://acme.atlassian.net", projectKey: "SUP", issueType: "Task", auth: { kind: "api_token", email: "switchboard@acme.test" } },
  secrets: { apiToken: true, token: false, password: false, clientSecret: false, webhookSecret: true, oauthTokens: false },
  webhookUrl: "http://127.0.0.1/webhooks/jira",
  webhookBacklog: { waiting: 12, oldestReceivedAt: "2026-11-30T14:04:00.000Z" },
};
const failedReport = {
  ok: false,
  checks: [
    { name: "credentials", result: "failed", message: "Jira refused the API token (401)." },
    { name: "project", result: "skipped", message: "skipped: an earlier check failed" },
  ],
};

const metricLabels: Record<string, string> = { first_response: "First response", next_response: "Next response", resolution: "Resolution" };

/** The desk's own formats (web/src/lib/time.ts), in the browser's zone (the harness uses UTC). */
const deskDateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
function deskDuration(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d) return h ? `${d}d ${h}h` : `${d}d`;
  if (h) return m ? `${h}h ${m}m` : `${h}h`;
  return `${m}m`;
}

const clocksOf = async (api: ApiClient, number: string) => (await api.call<{ clocks: Clock[] }>("GET", `/tickets/${number}/sla`)).clocks;

/** The clock this journey moves: the first one still counting down, resolution preferred. */
async function runningClock(api: ApiClient, number: string): Promise<Clock> {
  const clocks = await clocksOf(api, number);
  const clock = ["resolution", "next_response", "first_response"].map((m) => clocks.find((c) => c.metric === m && c.state === "running" && c.dueAt)).find(Boolean);
  if (!clock?.policy) throw new Error(`no running SLA clock with a policy on ${number}: ${JSON.stringify(clocks)}`);
  return clock;
}

/** The resolution (or other) clock's line in the desk's SLA panel. */
const deskClock = (page: Page, metric: string) => page.locator("li.sla-clock").filter({ has: page.getByText(metricLabels[metric]!, { exact: true }) });

async function editPolicyAndCheckTheTicket(w: World, admin: Tab, number: string): Promise<void> {
  const { page } = admin;
  const before = await runningClock(w.admin, number);
  const label = metricLabels[before.metric]!;
  const newTarget = before.targetSeconds * 2;

  // The countdown as the desk shows it before the edit.
  await page.goto(`/desk/tickets/${number}`);
  await expectText(deskClock(page, before.metric), `of ${deskDuration(before.targetSeconds)} used`, `the desk's ${label} clock before the edit`);
  await expectText(deskClock(page, before.metric), `due ${deskDateTime.format(new Date(before.dueAt!))}`, "the due time before the edit");

  // Admin: open the policy the ticket runs on and double its target for this metric.
  await page.goto("/admin/sla");
  const row = page.locator(`tr[data-policy="${before.policy!.name}"]`);
  await expectVisible(row, `the policy ${before.policy!.name} in the list`);
  await expectText(row.locator(`td[data-metric="${before.metric}"]`), `${before.targetSeconds / 3600} h`, "its current target");
  await page.getByRole("link", { name: `Edit ${before.policy!.name}` }).click();
  await page.waitForURL(/\/admin\/sla\/policies\/[0-9a-f-]+$/);
  const hours = page.getByLabel(`${label}: hours`);
  assert.equal(await hours.inputValue(), String(before.targetSeconds / 3600), "the form starts from the stored target");
  await hours.fill(String(newTarget / 3600));
  await page.getByLabel(`${label}: minutes`).fill("0");
  await page.getByRole("radio", { name: "Also open tickets, keeping time already used" }).check();
  await admin.screenshot("admin-sla-policy-edit");
  await page.getByRole("button", { name: "Save new version" }).click();
  const saved = page.getByRole("status").filter({ hasText: "is saved as version" });
  await expectText(saved, `version ${before.policy!.version + 1}`, "the saved-version message");
  await expectText(saved, /\d+ open tickets? moved to the new targets/, "how many open tickets moved");

  // The server's view: the ticket moved to the new version, and its due time moved by exactly
  // the added business time on the policy's calendar (asked of the server's calendar preview).
  const after = await runningClock(w.admin, number);
  assert.equal(after.policy!.version, before.policy!.version + 1, "the ticket is on the new policy version");
  assert.equal(after.targetSeconds, newTarget, "the ticket's clock has the new target");
  const calendars = (await w.admin.call<{ items: Calendar[] }>("GET", "/sla/calendars")).items;
  const calendarId = calendars.find((c) => c.isDefault)!.id;
  const expected = await w.admin.call<{ due: string }>("POST", "/sla/calendars/preview", { calendarId, start: before.dueAt, seconds: newTarget - before.targetSeconds });
  assert.equal(after.dueAt, expected.due, "the new due time is the old one plus the added business time");

  // The desk shows the same: the new target, the new due time, the new version.
  await page.goto(`/desk/tickets/${number}`);
  const clock = deskClock(page, before.metric);
  await expectText(clock, `of ${deskDuration(newTarget)} used`, `the desk's ${label} clock after the edit`);
  await expectText(clock, `due ${deskDateTime.format(new Date(expected.due))}`, "the due time after the edit");
  await clock.locator("summary").click();
  await expectText(clock.locator("summary"), `${before.policy!.name} v${before.policy!.version + 1}`, "the policy version in the timeline");
  await admin.screenshot("desk-ticket-sla-after-policy-edit");
}

/** Every other admin screen, each doing its main job once in a real browser. */
async function visitTheOtherScreens(w: World, admin: Tab): Promise<void> {
  const { page } = admin;
  // No Jira connection in this world: the API answers 404 for it, which the screens show as "not connected".
  admin.allowHttpError(404, "/api/v1/connections/jira");
  await page.goto("/admin");
  await expectText(page.locator(".admin-cards"), "Jira: not connected", "the overview's Jira line");
  await admin.screenshot("admin-overview");

  await page.goto("/admin/sla");
  await page.getByRole("link", { name: "Edit Business hours" }).click();
  await expectVisible(page.getByLabel("Monday interval 1 from"), "the week grid");
  assert.equal(await page.getByLabel("Monday interval 1 from").inputValue(), "09:00", "Monday opens at nine");
  await page.getByLabel("Country code").fill("DE");
  await page.getByRole("button", { name: "Add holidays" }).click();
  await expectText(page.getByRole("status").filter({ hasText: "added to the list" }), /\d+ holidays for DE/, "the imported holidays' note");
  await expectVisible(page.locator(".holidays tbody tr").first(), "the imported holidays in the list");
  await page.getByRole("button", { name: "Show when it is due" }).click();
  await expectText(page.locator(".preview-result"), /^Due /, "the calendar preview");
  await admin.screenshot("admin-sla-calendar");

  await page.getByRole("link", { name: "Users and roles" }).first().click();
  const invite = page.getByRole("form", { name: "Invite someone" });
  const newcomer = "riley.new@e2e.test";
  await invite.getByLabel("Email", { exact: true }).fill(newcomer);
  await invite.getByLabel("Name", { exact: true }).fill("Riley Newcomer");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expectText(page.getByRole("status").filter({ hasText: "invited" }), "Riley Newcomer is invited as agent", "the invitation's confirmation");
  await expectVisible(page.locator(`tr[data-user="${newcomer}"]`).getByText("Invited (no password yet)"), "the invited person in the list");
  await w.mailTo(newcomer, /invite/i);
  await page.locator(".queue-filters select").selectOption("agent");
  await expectHidden(page.locator(`tr[data-user="${w.customer.email}"]`), "customers, once the list shows agents only");
  await admin.screenshot("admin-users");
  const riley = page.locator(`tr[data-user="${newcomer}"]`);
  await riley.getByLabel("Role of Riley Newcomer").selectOption("admin");
  await expectText(page.getByRole("status").filter({ hasText: "is now" }), "Riley Newcomer is now admin", "the role change's confirmation");
  await expectHidden(riley, "Riley, no longer an agent, under the agents filter");
  await page.locator(".queue-filters select").selectOption("admin");
  await riley.getByRole("button", { name: "Deactivate Riley Newcomer" }).click();
  await expectText(page.getByRole("status").filter({ hasText: "deactivated" }), "Riley Newcomer is deactivated", "the deactivation's confirmation");
  await expectVisible(riley.getByText("Deactivated"), "the deactivated badge");

  await page.goto("/admin/teams");
  await page.getByRole("button", { name: "Edit Tier 1" }).click();
  await page.getByRole("checkbox", { name: `${w.agent.name} leads the team` }).check();
  await page.getByRole("button", { name: "Save team" }).click();
  await expectText(page.getByRole("status").filter({ hasText: "is saved" }), "Tier 1 is saved with 1 member", "the team's confirmation");
  await expectText(page.locator(".admin-cards li").filter({ hasText: "Tier 1" }), "Lead", "the lead badge");
  await admin.screenshot("admin-teams");

  admin.allowHttpError(404, "/api/v1/connections/jira");
  await page.goto("/admin/connections");
  await expectText(page.locator(".connection-card"), "Not connected", "the Jira card");
  await expectVisible(page.getByRole("link", { name: /API reference/ }), "the link to the docs");
  await admin.screenshot("admin-connections");

  await page.goto("/admin/webhooks");
  await page.getByRole("button", { name: "New webhook" }).click();
  const url = page.getByLabel("Payload URL");
  admin.allowHttpError(422, "/api/v1/webhooks");
  await url.fill("http://127.0.0.1:9/hook");
  await page.getByRole("button", { name: "Create webhook" }).click();
  await expectText(page.locator(".field-invalid .field-error"), "private or reserved address", "the server's refusal beside the URL");
  await url.fill("http://203.0.113.10/switchboard");
  await page.getByRole("button", { name: "Create webhook" }).click();
  const secret = page.locator(".secret-once input");
  await eventually("the signing secret is shown once", async () => (await secret.inputValue()).length >= 20);
  const row = page.locator('tr[data-webhook="http://203.0.113.10/switchboard"]');
  await row.getByRole("button", { name: "Send test" }).click();
  await expectText(page.getByRole("status").filter({ hasText: "test ping" }), "is queued", "the test's confirmation");
  await admin.screenshot("admin-webhooks");
  await row.getByRole("link", { name: "Delivery log" }).click();
  await expectVisible(page.locator('tr[data-event="ping"]'), "the ping in the delivery log");
  await expectText(page.locator('tr[data-event="ping"] .attempts'), /HTTP \d{3}|no response/, "the ping's attempt with its status code", 15_000);
  await admin.screenshot("admin-webhook-deliveries");
  // Disabled again, so the later journeys' tickets send nothing to it.
  await page.getByRole("link", { name: "Webhooks", exact: true }).first().click();
  await row.getByRole("button", { name: "Disable" }).click();
  await expectText(page.getByRole("status").filter({ hasText: "is disabled" }), "nothing is sent to it", "the disabling's confirmation");
  await expectText(row, "Disabled", "the webhook's state");

  await page.goto("/admin/tokens");
  await page.getByLabel("Token name").fill("Nightly export");
  await page.getByRole("button", { name: "Create token" }).click();
  const tokenField = page.locator(".secret-once input");
  await eventually("the token is shown once", async () => (await tokenField.inputValue()).length > 20);
  const token = await tokenField.inputValue();
  const asToken = () => fetch(`${w.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
  assert.equal(await asToken(), 200, "the new token signs requests in");
  await admin.screenshot("admin-tokens");
  page.once("dialog", (d) => void d.accept());
  await page.locator('tr[data-token="Nightly export"]').getByRole("button", { name: /Revoke/ }).click();
  await expectText(page.getByRole("status").filter({ hasText: "revoked" }), "Nightly export", "the revocation's confirmation");
  assert.equal(await asToken(), 401, "a revoked token is refused");

  // The test ping's receiver answered 404 (or nothing), so its delivery job is waiting to retry.
  await page.goto("/admin/jobs");
  const job = page.locator('tr[data-name="webhook.deliver"]');
  await expectVisible(job, "the failed webhook delivery among the failed jobs", 15_000);
  await expectText(job, /webhook delivery failed/, "its last error");
  await admin.screenshot("admin-jobs");
  await job.getByRole("button", { name: /Retry now/ }).first().click();
  await expectText(page.getByRole("status").filter({ hasText: "runs now" }), "webhook.deliver runs now", "the retry's confirmation");

  // A Jira connection cannot exist here (nothing to check it against), so the card's paused
  // state and a failed test are shown with the API's answers stubbed in the browser: this checks
  // how the screen words them, not the server.
  await page.route("**/api/v1/connections/jira", (route) => route.fulfill({ json: pausedJira }));
  await page.route("**/api/v1/connections/jira/test", (route) => route.fulfill({ json: { ...pausedJira, report: failedReport } }));
  await page.goto("/admin/connections");
  await expectText(page.locator(".connection-card"), "Paused: sign-in failed", "the paused status in words");
  await expectText(page.locator(".connection-card"), "401 Unauthorized", "the last error");
  await expectText(page.locator(".connection-card"), "12 stored, not yet processed", "the webhook backlog");
  await page.getByRole("button", { name: "Test connection" }).click();
  await expectText(page.locator(".check-list"), "Signing in: Failed.", "the test's result in words");
  await admin.screenshot("admin-connections-jira-paused");
  await page.unrouteAll();
}

export const adminEditsSlaPolicy: Journey = {
  name: "SLA admin: an admin edits a policy and the ticket's countdown changes",
  async run(w) {
    const number = w.made.ticketNumber!;
    const person: Person = { email: "ada.admin@e2e.test", password: "ada-admin-password-1", name: "Ada Admin" };
    await w.admin.call("POST", "/users", { ...person, role: "admin" });
    const admin = await w.open("admin");
    await signIn(admin, person, /\/desk$/);
    await editPolicyAndCheckTheTicket(w, admin, number);
    await visitTheOtherScreens(w, admin);

    // An agent may read SLA settings but not edit them, and is told the rest is for admins.
    const agent = w.agentTab!;
    await agent.page.goto("/admin/jobs");
    await expectVisible(agent.page.getByRole("heading", { name: "Only admins" }), "the agent's 'only admins' message");
    await agent.page.goto("/admin/sla");
    await expectVisible(agent.page.getByText("Only admins can change SLA settings."), "the agent's read-only SLA page");
    assert.equal(await agent.page.getByRole("link", { name: /^Edit / }).count(), 0, "agents get no edit links");
    await agent.page.goto("/desk");
  },
};
