import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailSettingsFrom, type MailSettings } from "../../src/connectors/email/outbound/mailSettings.js";
import { createSendEmailJob } from "../../src/connectors/email/outbound/sendEmail.js";
import { verifyMessageId } from "../../src/connectors/email/outbound/threading.js";
import { outboundEmails } from "../../src/db/schema/index.js";
import type { JobContext } from "../../src/jobs/defineJob.js";
import type { JobQueue } from "../../src/jobs/queue.js";
import { runStep } from "../../src/jobs/runStep.js";
import type { Workers } from "../../src/jobs/startWorkers.js";
import { buildAdmin, buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { jobsIn, silentLog, type JobRow, sleep, startTestQueue, startTestWorkers, waitFor } from "../jobs/fixtures/jobTesting.js";
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from "./fixtures/smtpServer.js";

const PUBLIC_URL = "https://support.example.test";

describe("outbound email", () => {
  let smtp: TestSmtpServer;
  let ctx: TestContext;
  let settings: MailSettings;
  let queue: JobQueue;
  let workers: Workers;
  let agent: TestUser;
  let customer: TestUser;
  // Quick retries, so "the server refuses, then accepts" takes seconds; everything else as registered.
  const job = createSendEmailJob({ retry: { retryLimit: 6, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 }, settings: () => settings });

  const mailsAbout = (number: string) => smtp.received.filter((m) => m.parsed.subject?.startsWith(`[${number}] `));
  /** A mail that arrived and whose send is recorded (so the next mail's thread includes it). */
  const waitForMail = async (what: string, number: string, match: (m: ReceivedMail) => boolean) => {
    const mail = await waitFor(what, async () => mailsAbout(number).find(match), 20_000);
    const id = mail.parsed.messageId!.slice(1, -1);
    await waitFor(`${what} to be recorded`, async () => (await ctx.db.select().from(outboundEmails).where(eq(outboundEmails.messageId, id))).length > 0);
    return mail;
  };
  const header = (m: ReceivedMail, name: string) => m.parsed.headers.get(name);

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    ctx = await createTestContext({ SMTP_URL: smtp.url, PUBLIC_URL, SWITCHBOARD_SECRET_KEY: "6b".repeat(32), MAIL_FROM: "Acme Support <help@acme.test>" });
    settings = mailSettingsFrom(ctx.config);
    queue = await startTestQueue(ctx.database, [job]);
    workers = await startTestWorkers(queue, [job]);
    agent = await buildAgent(ctx, { name: "Dana Agent" });
    customer = await buildCustomer(ctx);
  });
  afterAll(async () => {
    await workers.stop();
    await queue.stop();
    await ctx.close();
    await smtp.close();
  });

  it("mails the requester a receipt: number in the subject, portal link, Auto-Submitted, a signed Message-ID", async () => {
    const t = await buildTicket(ctx, customer, { subject: "Cannot print invoices" });
    const mail = await waitForMail("the receipt", t.number, () => true);
    expect(mail.to).toEqual([customer.email]);
    expect(mail.parsed.subject).toBe(`[${t.number}] We received your request: Cannot print invoices`);
    expect(mail.parsed.from?.text).toBe('"Acme Support" <help@acme.test>');
    expect(mail.parsed.text).toContain(`${PUBLIC_URL}/tickets/${t.number}`);
    expect(mail.parsed.html).toContain(`href="${PUBLIC_URL}/tickets/${t.number}"`);
    expect(header(mail, "auto-submitted")).toBe("auto-generated");

    const messageId = mail.parsed.messageId!;
    expect(messageId).toMatch(/^<t\.[0-9a-f-]{36}\.[\w-]+\.[\w-]+@switchboard>$/);
    expect(verifyMessageId(settings.threadingKey, messageId)).toEqual({ ticketId: t.id });
    // Tampered: another ticket's id under this signature, a changed signature, another install's key.
    const other = randomUUID();
    expect(verifyMessageId(settings.threadingKey, messageId.replace(t.id, other))).toBeNull();
    const sig = messageId.slice(messageId.lastIndexOf(".") + 1, messageId.indexOf("@"));
    const flipped = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
    expect(verifyMessageId(settings.threadingKey, messageId.replace(`.${sig}@`, `.${flipped}@`))).toBeNull();
    expect(verifyMessageId(mailSettingsFrom({ ...ctx.config, SWITCHBOARD_SECRET_KEY: "7a".repeat(32) }).threadingKey, messageId)).toBeNull();

    const [row] = await ctx.db.select().from(outboundEmails).where(eq(outboundEmails.ticketId, t.id));
    expect(row).toMatchObject({ messageId: messageId.slice(1, -1), to: customer.email, kind: "received", status: "sent" });
  });

  it("threads an agent's public reply under the earlier mail, without Auto-Submitted", async () => {
    const t = await buildTicket(ctx, customer);
    const receipt = await waitForMail("the receipt", t.number, () => true);
    const res = await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "Please restart the printer.\n\nThen try again." });
    expect(res.statusCode).toBe(201);
    const reply = await waitForMail("the reply", t.number, (m) => m.parsed.subject!.includes("Re:"));
    expect(reply.parsed.subject).toBe(`[${t.number}] Re: ${t.subject}`);
    expect(reply.parsed.inReplyTo).toBe(receipt.parsed.messageId);
    expect([reply.parsed.references].flat()).toEqual([receipt.parsed.messageId]);
    expect(header(reply, "auto-submitted")).toBeUndefined();
    expect(reply.parsed.text).toContain("Please restart the printer.");
    expect(reply.parsed.text).toContain("Dana Agent");
    expect(verifyMessageId(settings.threadingKey, reply.parsed.messageId!)).toEqual({ ticketId: t.id });
    expect(reply.parsed.messageId).not.toBe(receipt.parsed.messageId);

    // Resolving mails the reopen instructions, threaded after both.
    expect((await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "resolved" })).statusCode).toBe(200);
    const resolved = await waitForMail("the resolution", t.number, (m) => m.parsed.subject!.includes("Resolved:"));
    expect(resolved.parsed.text).toMatch(/Reply to this email, or reopen it in the portal/);
    expect(header(resolved, "auto-submitted")).toBe("auto-generated");
    expect(resolved.parsed.inReplyTo).toBe(reply.parsed.messageId);
    expect([resolved.parsed.references].flat()).toEqual([receipt.parsed.messageId, reply.parsed.messageId]);
  });

  it("never mails an internal note, and its text appears in no mail", async () => {
    const marker = `NOTE-MARKER-${randomUUID()}`;
    const t = await buildTicket(ctx, customer);
    await waitForMail("the receipt", t.number, () => true);
    const note = await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: `Customer is on the legacy plan. ${marker}`, internal: true });
    expect(note.statusCode).toBe(201);
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "We are looking into it." });
    await waitForMail("the public reply", t.number, (m) => m.parsed.subject!.includes("Re:"));
    await sleep(1500);
    expect(mailsAbout(t.number)).toHaveLength(2);
    expect((await jobsIn(ctx.db, job.name)).filter((j) => j.data.ticketId === t.id).map((j) => j.data.kind)).toEqual(["received", "reply"]);
    for (const mail of smtp.received) expect(mail.raw).not.toContain(marker);
  });

  it("keeps retrying while the server refuses (550), loses nothing, and sends once when it accepts", async () => {
    smtp.isRefusing = true;
    const refusedBefore = smtp.refusedCount();
    let t: Awaited<ReturnType<typeof buildTicket>>;
    let pending: JobRow;
    try {
      t = await buildTicket(ctx, customer);
      // Refused twice, and the second failure settled: the job waits for its next attempt.
      pending = await waitFor(
        "two refused attempts",
        async () => smtp.refusedCount() - refusedBefore >= 2 && (await jobsIn(ctx.db, job.name)).find((j) => j.data.ticketId === t.id && j.state === "retry" && j.retry_count >= 2),
        20_000,
      );
      expect(JSON.stringify(pending.output)).toMatch(/550/);
      expect(mailsAbout(t.number)).toHaveLength(0);
      // The admin's failed-jobs view shows it waiting for its retry, with the server's answer.
      const admin = await buildAdmin(ctx);
      type Listed = { items: { id: string; state: string; lastError: string | null }[] };
      // Polled: between two refusals the job is briefly running rather than waiting.
      const item = await waitFor("the job in the failed-jobs view", async () =>
        json<Listed>(await call(ctx, admin, "GET", "/api/v1/jobs?state=retrying")).items.find((i) => i.id === pending.id),
      );
      expect(item).toMatchObject({ state: "retrying", lastError: expect.stringMatching(/550/) });
    } finally {
      smtp.isRefusing = false;
    }
    await waitForMail("the receipt after the server came back", t.number, () => true);
    await waitFor("the job to complete", async () => (await jobsIn(ctx.db, job.name)).find((j) => j.id === pending.id && j.state === "completed"));
    await sleep(1500);
    expect(mailsAbout(t.number)).toHaveLength(1);
  });

  it("does not send again when a job that was accepted runs again", async () => {
    const t = await buildTicket(ctx, customer);
    await waitForMail("the receipt", t.number, () => true);
    const [done] = (await jobsIn(ctx.db, job.name)).filter((j) => j.data.ticketId === t.id);
    // The same job run again, as after a crash between the send and pg-boss marking it done.
    const rerun: JobContext = {
      jobId: done!.id,
      rootId: done!.id,
      attempt: 2,
      name: job.name,
      db: ctx.db,
      log: silentLog,
      signal: new AbortController().signal,
      step: (key, fn, options) => runStep(ctx.db, done!.id, key, fn, options),
    };
    await job.handler({ ticketId: t.id, kind: "received" }, rerun);
    await sleep(500);
    expect(mailsAbout(t.number)).toHaveLength(1);
    expect(await ctx.db.select().from(outboundEmails).where(eq(outboundEmails.ticketId, t.id))).toHaveLength(1);
  });

  it("escapes HTML from subjects and reply bodies", async () => {
    const t = await buildTicket(ctx, customer, { subject: `<script>alert("s")</script> & more` });
    const receipt = await waitForMail("the receipt", t.number, () => true);
    expect(receipt.parsed.subject).toBe(`[${t.number}] We received your request: <script>alert("s")</script> & more`);
    expect(receipt.parsed.html).not.toContain("<script>");
    expect(receipt.parsed.html).toContain("&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt; &amp; more");
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: `Try <img src=x onerror=alert(1)> <script>steal()</script>` });
    const reply = await waitForMail("the reply", t.number, (m) => m.parsed.subject!.includes("Re:"));
    expect(reply.parsed.html).not.toMatch(/<script|<img/);
    expect(reply.parsed.html).toContain("&lt;script&gt;steal()&lt;/script&gt;");
    expect(reply.parsed.text).toContain("<script>steal()</script>");
  });

  it("fails the attempt (so pg-boss retries it) when the server is down, recording nothing", async () => {
    const t = await buildTicket(ctx, customer);
    await waitForMail("the receipt", t.number, () => true);
    const down = createSendEmailJob({ settings: () => ({ ...settings, smtpUrl: "smtp://127.0.0.1:1" }) });
    const rootId = randomUUID();
    const run: JobContext = {
      jobId: rootId,
      rootId,
      attempt: 1,
      name: down.name,
      db: ctx.db,
      log: silentLog,
      signal: new AbortController().signal,
      step: (key, fn, options) => runStep(ctx.db, rootId, key, fn, options),
    };
    await expect(down.handler({ ticketId: t.id, kind: "resolved" }, run)).rejects.toThrow(/ECONNREFUSED/);
    expect((await ctx.db.select().from(outboundEmails).where(eq(outboundEmails.ticketId, t.id))).map((r) => r.kind)).toEqual(["received"]);
  });

  it("records a skipped send and completes when no SMTP_URL is configured", async () => {
    const t = await buildTicket(ctx, customer);
    await waitForMail("the receipt", t.number, () => true);
    const unconfigured = createSendEmailJob({ settings: () => ({ ...settings, smtpUrl: undefined }) });
    const rootId = randomUUID();
    const run: JobContext = {
      jobId: rootId,
      rootId,
      attempt: 1,
      name: unconfigured.name,
      db: ctx.db,
      log: silentLog,
      signal: new AbortController().signal,
      step: (key, fn, options) => runStep(ctx.db, rootId, key, fn, options),
    };
    await unconfigured.handler({ ticketId: t.id, kind: "resolved" }, run);
    const rows = await ctx.db.select().from(outboundEmails).where(eq(outboundEmails.ticketId, t.id));
    expect(rows.map((r) => [r.kind, r.status]).sort()).toEqual([["received", "sent"], ["resolved", "skipped"]]);
    expect(mailsAbout(t.number)).toHaveLength(1);
  });
});
