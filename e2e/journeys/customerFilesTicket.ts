import assert from "node:assert/strict";
import type { Journey } from "../harness/journey.js";
import { eventually, expectAttribute, expectHidden, expectText, expectVisible } from "../harness/expect.js";
import { signIn } from "../harness/signIn.js";

const subject = "VPN drops every few minutes";
const logFile = { name: "vpn-client.log", mimeType: "text/plain", buffer: Buffer.from("2026-12-01 08:14:02 tunnel down: error 809\n2026-12-01 08:17:45 tunnel down: error 809\n") };

export const customerFilesTicket: Journey = {
  name: "a customer files a ticket with a file, fixing field errors inline (client and server); it shows in My tickets and live in the agent's queue",
  async run(w) {
    // The agent's queue is open first, so the new ticket has to arrive over the stream.
    const agent = (w.agentTab = await w.open("agent"));
    const frames: string[] = [];
    agent.page.on("websocket", (ws) => ws.on("framereceived", (f) => typeof f.payload === "string" && frames.push(f.payload)));
    await signIn(agent, w.agent, /\/desk$/);
    await expectVisible(agent.page.locator("table.queue-table"), "the queue");
    await expectText(agent.page.locator(".live"), "Live", "the desk's live light");
    await agent.page.evaluate(() => Object.assign(window, { stillSamePage: true }));

    const customer = (w.customerTab = await w.open("customer"));
    const { page } = customer;
    await signIn(customer, w.customer, /\/tickets$/);
    await page.getByRole("link", { name: "New request" }).first().click();
    await page.waitForURL(/\/tickets\/new$/);

    const posts: string[] = [];
    page.on("request", (r) => r.method() === "POST" && r.url().endsWith("/api/v1/tickets") && posts.push(r.url()));
    const subjectField = page.getByLabel("Subject");
    await subjectField.fill("VPN");
    await page.getByLabel("Description").fill("Since this morning the VPN client disconnects every few minutes with error 809.");
    await page.getByLabel("Category").selectOption("technical");
    await page.getByLabel("Priority").selectOption("high");
    assert.deepEqual(await page.getByLabel("Priority").locator("option").allTextContents(), ["Low", "Medium", "High"], "customers cannot pick urgent");
    await page.getByLabel("Attachments").setInputFiles(logFile);
    await expectVisible(page.getByText("vpn-client.log"), "the chosen file");

    // Client-side: the short subject is caught before anything is sent, beside its field.
    await page.getByRole("button", { name: "Send request" }).click();
    await expectText(page.locator(".field-invalid .field-error"), "Subject needs at least 5 characters", "the subject's error");
    await expectAttribute(subjectField, "aria-invalid", "true", "the subject field");
    assert.equal(await subjectField.evaluate((el) => el === document.activeElement), true, "focus moves to the field in error");
    assert.equal(posts.length, 0, "nothing was sent while the form had an error");
    await customer.screenshot("portal-new-ticket-client-error");

    // Fixed inline: the message goes as soon as the field is right.
    await subjectField.fill(subject);
    await expectHidden(page.locator(".field-error"), "the subject's error");

    // Server-side: the same rule, checked again by the server. The request is altered on its
    // way so that only the server can catch it; its answer must land beside the field too.
    customer.allowHttpError(400, "/api/v1/tickets");
    await page.route("**/api/v1/tickets", async (route) => {
      const body = JSON.parse(route.request().postData() ?? "{}") as Record<string, unknown>;
      await route.continue({ postData: JSON.stringify({ ...body, subject: "VPN" }) });
    });
    await page.getByRole("button", { name: "Send request" }).click();
    await expectVisible(page.locator(".field-invalid .field-error"), "the server's subject error");
    await expectAttribute(subjectField, "aria-invalid", "true", "the subject field after the server's answer");
    await customer.screenshot("portal-new-ticket-server-error");
    await page.unroute("**/api/v1/tickets");
    await subjectField.fill(`${subject} `);
    await expectHidden(page.locator(".field-error"), "the server's error, once the field is edited");

    await page.getByRole("button", { name: "Send request" }).click();
    await page.waitForURL(/\/tickets\/SUP-\d+$/);
    const number = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
    w.made.ticketNumber = number;
    w.made.ticketSubject = subject;
    await expectText(page.getByRole("status").filter({ hasText: "received" }), number, "the confirmation");
    await expectVisible(page.getByRole("link", { name: "vpn-client.log" }), "the attached log in the thread");
    await expectText(page.locator(".badge"), "Open", "the status badge");
    await customer.screenshot("portal-ticket-filed");

    await page.getByRole("link", { name: "My tickets" }).first().click();
    const row = page.getByRole("row").filter({ hasText: number });
    await expectVisible(row, "the new ticket in My tickets");
    await expectText(row.locator(".badge"), "Open", "its status badge");
    await expectText(row, /just now|minute/, "its last update");
    await customer.screenshot("portal-my-tickets");
    await page.getByRole("button", { name: "Closed" }).click();
    await expectVisible(page.getByText("No closed requests yet."), "the closed filter (nothing closed yet)");
    await page.getByRole("button", { name: "Open" }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await expectVisible(row, "the ticket on a phone-sized screen");
    await customer.screenshot("portal-my-tickets-mobile");
    await page.setViewportSize({ width: 1360, height: 900 });

    // Live: the agent's queue shows it without a reload, because the stream said so.
    await expectVisible(agent.page.locator(`tr[data-number="${number}"]`), "the new ticket in the agent's queue", 15_000);
    assert.equal(await agent.page.evaluate(() => "stillSamePage" in window), true, "the queue page was not reloaded");
    await eventually("a ticket.created frame arrived", async () => frames.some((f) => f.includes('"ticket.created"') && f.includes(number)));
    await agent.screenshot("desk-queue-live", false);
  },
};
