import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailSettingsFrom, type MailSettings } from "../../src/connectors/email/outbound/mailSettings.js";
import { createSendEmailJob } from "../../src/connectors/email/outbound/sendEmail.js";
import { createSendAccountEmailJob } from "../../src/connectors/email/outbound/sendAccountEmail.js";
import { authTokens, users } from "../../src/db/schema/index.js";
import type { JobQueue } from "../../src/jobs/queue.js";
import type { Workers } from "../../src/jobs/startWorkers.js";
import { buildAdmin, buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { jobsIn, sleep, startTestQueue, startTestWorkers, waitFor } from "../jobs/fixtures/jobTesting.js";
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from "./fixtures/smtpServer.js";

const PUBLIC_URL = "https://desk.example.test";

describe("account mail: invitation, password reset, magic link; escalation mail", () => {
  let smtp: TestSmtpServer;
  let ctx: TestContext;
  let settings: MailSettings;
  let queue: JobQueue;
  let workers: Workers;
  let admin: TestUser;
  const jobs = [createSendAccountEmailJob({ settings: () => settings }), createSendEmailJob({ settings: () => settings })];

  const mailTo = (address: string, subject: string) =>
    waitFor(`"${subject}" to ${address}`, async () => smtp.received.find((m) => m.to.includes(address) && m.parsed.subject === subject), 20_000);
  const tokenIn = (mail: ReceivedMail, path: string) => {
    const match = new RegExp(`${PUBLIC_URL}${path}#token=([\\w%-]+)`).exec(mail.parsed.text ?? "");
    expect(match, `a ${path} link in:\n${mail.parsed.text}`).not.toBeNull();
    return decodeURIComponent(match![1]!);
  };
  const anonymous = null;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    ctx = await createTestContext({ SMTP_URL: smtp.url, PUBLIC_URL, SWITCHBOARD_SECRET_KEY: "5c".repeat(32) });
    settings = mailSettingsFrom(ctx.config);
    queue = await startTestQueue(ctx.database, jobs);
    workers = await startTestWorkers(queue, jobs);
    admin = await buildAdmin(ctx);
  });
  afterAll(async () => {
    await workers.stop();
    await queue.stop();
    await ctx.close();
    await smtp.close();
  });

  it("resets a password from the mailed link once, ends the old sessions, and keeps the token out of the queue table", async () => {
    const person = await buildAgent(ctx, { email: "reset.me@example.test" });
    const res = await call(ctx, anonymous, "POST", "/api/v1/auth/password-reset", { email: "Reset.Me@example.test" });
    expect(res.statusCode).toBe(202);
    const mail = await mailTo(person.email, "Reset your password");
    expect(mail.parsed.headers.get("auto-submitted")).toBe("auto-generated");
    const token = tokenIn(mail, "/reset-password");
    expect(token).toMatch(/^sbr_/);
    const [job] = (await jobsIn(ctx.db, "email.account")).filter((j) => j.data.userId === person.id);
    expect(JSON.stringify(job!.data)).not.toContain(token);

    const confirm = await call(ctx, anonymous, "POST", "/api/v1/auth/password-reset/confirm", { token, password: "a brand new passphrase" });
    expect(confirm.statusCode).toBe(204);
    // The session the factory opened before the reset no longer works; the new password does.
    expect((await call(ctx, person, "GET", "/api/v1/auth/me")).statusCode).toBe(401);
    const login = await call(ctx, anonymous, "POST", "/api/v1/auth/login", { email: person.email, password: "a brand new passphrase" });
    expect(login.statusCode).toBe(200);
    const again = await call(ctx, anonymous, "POST", "/api/v1/auth/password-reset/confirm", { token, password: "another passphrase!" });
    expect(again.statusCode).toBe(400);
    expect(json<{ code: string }>(again).code).toBe("INVALID_TOKEN");
  });

  it("answers an unknown address exactly like a known one, and mails nothing", async () => {
    const before = smtp.received.length;
    const res = await call(ctx, anonymous, "POST", "/api/v1/auth/password-reset", { email: "nobody@example.test" });
    expect(res.statusCode).toBe(202);
    expect(json(res)).toEqual({ accepted: true });
    expect((await call(ctx, anonymous, "POST", "/api/v1/auth/magic-link", { email: "nobody@example.test" })).statusCode).toBe(202);
    await sleep(1000);
    expect(smtp.received.length).toBe(before);
  });

  it("signs a customer in with a magic link once; an expired link is refused", async () => {
    const customer = await buildCustomer(ctx, { email: "magic@example.test" });
    expect((await call(ctx, anonymous, "POST", "/api/v1/auth/magic-link", { email: customer.email })).statusCode).toBe(202);
    const token = tokenIn(await mailTo(customer.email, "Your sign-in link"), "/login/magic");
    const redeem = await call(ctx, anonymous, "POST", "/api/v1/auth/magic-link/redeem", { token });
    expect(redeem.statusCode).toBe(200);
    expect(redeem.headers["set-cookie"]).toMatch(/sb_session=sbs_/);
    const session = json<{ token: string }>(redeem).token;
    const me = await call(ctx, { token: session }, "GET", "/api/v1/auth/me");
    expect(json<{ email: string }>(me).email).toBe(customer.email);
    expect((await call(ctx, anonymous, "POST", "/api/v1/auth/magic-link/redeem", { token })).statusCode).toBe(400);

    // A second link, left to expire.
    const count = smtp.received.length;
    await call(ctx, anonymous, "POST", "/api/v1/auth/magic-link", { email: customer.email });
    await waitFor("the second link", async () => smtp.received.length > count);
    const second = tokenIn(smtp.received.at(-1)!, "/login/magic");
    await ctx.db.update(authTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(authTokens.kind, "magic_link"));
    const expired = await call(ctx, anonymous, "POST", "/api/v1/auth/magic-link/redeem", { token: second });
    expect(expired.statusCode).toBe(400);
    // A password-reset token is not a sign-in token.
    expect((await call(ctx, anonymous, "POST", "/api/v1/auth/magic-link/redeem", { token: "sbr_" + "x".repeat(43) })).statusCode).toBe(400);
  });

  it("mails an invitation to a person created without a password; the link sets the password", async () => {
    const res = await call(ctx, admin, "POST", "/api/v1/users", { email: "invited@example.test", name: "Ivy Invitee", role: "agent" });
    expect(res.statusCode).toBe(201);
    const mail = await mailTo("invited@example.test", "You are invited to the support desk");
    expect(mail.parsed.text).toContain("Hello Ivy Invitee");
    const token = tokenIn(mail, "/invite");
    expect(json<{ inviteUrl: string }>(res).inviteUrl).toBe(`${PUBLIC_URL}/invite#token=${token}`);
    expect((await call(ctx, anonymous, "POST", "/api/v1/auth/password-reset/confirm", { token, password: "short" })).statusCode).toBe(400);
    expect((await call(ctx, anonymous, "POST", "/api/v1/auth/password-reset/confirm", { token, password: "my own first passphrase" })).statusCode).toBe(204);
    const [row] = await ctx.db.select().from(users).where(eq(users.email, "invited@example.test"));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await call(ctx, anonymous, "POST", "/api/v1/auth/login", { email: "invited@example.test", password: "my own first passphrase" })).statusCode).toBe(200);
  });

  it("mails the assignee when a ticket is escalated, with the number in the subject", async () => {
    const agent = await buildAgent(ctx, { email: "escalation.owner@example.test" });
    const customer = await buildCustomer(ctx);
    const ticket = await buildTicket(ctx, customer, { subject: "Server room is flooding" });
    expect((await call(ctx, admin, "PATCH", `/api/v1/tickets/${ticket.id}`, { assigneeId: agent.id })).statusCode).toBe(200);
    expect((await call(ctx, admin, "PATCH", `/api/v1/tickets/${ticket.id}`, { isEscalated: true })).statusCode).toBe(200);
    const mail = await mailTo(agent.email, `[${ticket.number}] Escalated: Server room is flooding`);
    expect(mail.parsed.headers.get("auto-submitted")).toBe("auto-generated");
    expect(mail.to).not.toContain(customer.email);
  });
});
