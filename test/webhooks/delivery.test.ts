import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runSlaSweep } from "../../src/commands/sla/runSlaSweep.js";
import { applyTicketChanges } from "../../src/commands/tickets/applyTicketChanges.js";
import { createDeliverWebhookJob } from "../../src/connectors/webhooks/deliverWebhook.js";
import { webhookSettingsFrom } from "../../src/connectors/webhooks/webhookSettings.js";
import { findTicket } from "../../src/db/repositories/findTicket.js";
import { webhookDeliveries } from "../../src/db/schema/index.js";
import { jobRegistry } from "../../src/jobs/jobRegistry.js";
import type { JobQueue } from "../../src/jobs/queue.js";
import type { Workers } from "../../src/jobs/startWorkers.js";
import { createPolicy, resync, stampEvents } from "../helpers/sla.js";
import { buildAdmin, buildAgent, buildCustomer, buildTicket, type TestUser } from "../helpers/factories.js";
import { call, createTestContext, json, type TestContext } from "../helpers/testApp.js";
import { jobsIn, silentLog, sleep, startTestQueue, startTestWorkers, waitFor } from "../jobs/fixtures/jobTesting.js";
import { startTestReceiver, type ReceivedRequest, type TestReceiver } from "./fixtures/receiver.js";

type Payload = {
  event: string;
  deliveryId: string;
  occurredAt: string;
  actor: { id: string; name: string } | null;
  channel: string;
  data: {
    ticket?: { id: string; number: string; status: string; priority: string; assignee: { id: string } | null; tags?: string[] } | null;
    changes?: { field: string; from: unknown; to: unknown }[];
    message?: { id: string; body: string; internal: boolean; author: { id: string } | null } | null;
    webhook?: { id: string };
  };
};
type Attempt = { statusCode: number | null; success: boolean; error: string | null; responseExcerpt: string | null; durationMs: number };
type Delivery = { id: string; event: string; status: string; attempts: Attempt[]; payload: Payload | null };
type Webhook = { id: string; secret: string; active: boolean; disabledReason: string | null; consecutiveFailures: number };

const ALL_EVENTS = ["ticket.created", "ticket.updated", "ticket.assigned", "message.created", "ticket.merged", "sla.warning", "sla.breached"];

/**
 * What a receiver does, written from docs/webhooks.md and independent of our signing code:
 * HMAC-SHA256 over "<timestamp>.<raw body>" with the secret, compared in constant time, and a
 * timestamp within five minutes.
 */
function verifies(request: ReceivedRequest, secret: string): boolean {
  const timestamp = String(request.headers["x-switchboard-timestamp"] ?? "");
  const signature = String(request.headers["x-switchboard-signature"] ?? "");
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(`${timestamp}.${request.rawBody}`).digest("hex")}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const payloadOf = (r: ReceivedRequest) => JSON.parse(r.rawBody) as Payload;
const nonEmpty = <T>(items: T[]) => (items.length ? items : undefined);

describe("outbound webhook delivery", () => {
  let ctx: TestContext;
  let receiver: TestReceiver;
  let queue: JobQueue;
  let workers: Workers;
  let admin: TestUser;
  let agent: TestUser;
  let customer: TestUser;
  const registered: string[] = [];
  // Quick retries (3 attempts, about a second apart) and a policy that disables after two
  // deliveries failed for good; everything else as registered.
  const job = createDeliverWebhookJob({
    retry: { retryLimit: 2, retryDelaySeconds: 1, retryDelayMaxSeconds: 1 },
    settings: () => webhookSettingsFrom(ctx.config),
    disablePolicy: { failures: 2, seconds: 0 },
    timeoutMs: 3000,
  });

  beforeAll(async () => {
    receiver = await startTestReceiver();
    ctx = await createTestContext({ ALLOW_PRIVATE_WEBHOOK_TARGETS: "true" });
    // Every registered job, so the commands' other enqueues (mail) find their queues; only ours runs.
    queue = await startTestQueue(ctx.database, [...jobRegistry.filter((j) => j.name !== job.name), job]);
    workers = await startTestWorkers(queue, [job]);
    admin = await buildAdmin(ctx);
    agent = await buildAgent(ctx);
    customer = await buildCustomer(ctx);
  });
  afterEach(async () => {
    // Each test's webhooks go, so later tests' ticket changes reach only their own.
    for (const id of registered.splice(0)) await call(ctx, admin, "DELETE", `/api/v1/webhooks/${id}`);
  });
  afterAll(async () => {
    await workers.stop();
    await queue.stop();
    await ctx.close();
    await receiver.close();
  });

  async function register(path: string, events: string[] = ALL_EVENTS): Promise<Webhook> {
    const res = await call(ctx, admin, "POST", "/api/v1/webhooks", { url: `${receiver.baseUrl}${path}`, events });
    expect(res.statusCode, res.body).toBe(201);
    const webhook = json<Webhook>(res);
    registered.push(webhook.id);
    return webhook;
  }
  const deliveries = async (webhookId: string) => json<{ items: Delivery[] }>(await call(ctx, admin, "GET", `/api/v1/webhooks/${webhookId}/deliveries`)).items;
  const about = (path: string, event: string, ticketId: string) => receiver.at(path).filter((r) => payloadOf(r).event === event && payloadOf(r).data.ticket?.id === ticketId);
  const deliveryCount = async () => (await ctx.db.select({ n: count() }).from(webhookDeliveries))[0]!.n;

  it("delivers ticket changes and messages, signed so a receiver can verify them on its own", async () => {
    const hook = await register("/ok");
    const t = await buildTicket(ctx, customer, { subject: "Webhook signed delivery" });

    const [created] = await waitFor("ticket.created at the receiver", async () => nonEmpty(about("/ok", "ticket.created", t.id)));
    expect(verifies(created!, hook.secret)).toBe(true);
    // Neither another secret nor a changed body verifies.
    expect(verifies(created!, `${hook.secret}x`)).toBe(false);
    expect(verifies({ ...created!, rawBody: created!.rawBody.replace(t.number, "SUP-99999") }, hook.secret)).toBe(false);
    expect(created!.method).toBe("POST");
    expect(created!.headers["content-type"]).toBe("application/json");
    expect(created!.headers["x-switchboard-event"]).toBe("ticket.created");
    expect(created!.headers["x-switchboard-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    const body = payloadOf(created!);
    expect(body).toMatchObject({ event: "ticket.created", deliveryId: created!.headers["x-switchboard-delivery"], actor: { id: customer.id }, channel: "api" });
    // The number is the final one (inside the creating transaction it is a placeholder).
    expect(body.data.ticket).toMatchObject({ id: t.id, number: t.number, status: "open" });

    // One PATCH, two public events: the field changes together, and the assignment.
    const patch = await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { status: "in_progress", priority: "high", tags: ["vip"], assigneeId: agent.id });
    expect(patch.statusCode, patch.body).toBe(200);
    const [updated] = await waitFor("ticket.updated", async () => nonEmpty(about("/ok", "ticket.updated", t.id)));
    expect(verifies(updated!, hook.secret)).toBe(true);
    const changes = payloadOf(updated!).data.changes!;
    expect(changes).toEqual(
      expect.arrayContaining([
        { field: "status", from: "open", to: "in_progress" },
        { field: "priority", from: "medium", to: "high" },
        { field: "tags", from: [], to: ["vip"] },
      ]),
    );
    expect(changes.map((c) => c.field)).not.toContain("assigneeId");
    expect(payloadOf(updated!).data.ticket).toMatchObject({ status: "in_progress", priority: "high", tags: ["vip"] });
    const [assigned] = await waitFor("ticket.assigned", async () => nonEmpty(about("/ok", "ticket.assigned", t.id)));
    expect(payloadOf(assigned!).data.changes).toEqual([{ field: "assigneeId", from: null, to: agent.id }]);
    expect(payloadOf(assigned!).data.ticket?.assignee?.id).toBe(agent.id);

    // A note says internal: true; a public reply internal: false.
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "Internal: customer is on the legacy plan.", internal: true });
    await call(ctx, agent, "POST", `/api/v1/tickets/${t.id}/messages`, { body: "We are on it." });
    const messages = await waitFor("two message.created", async () => about("/ok", "message.created", t.id).length === 2 && about("/ok", "message.created", t.id));
    const byBody = new Map(messages.map((m) => [payloadOf(m).data.message!.body, payloadOf(m).data.message!]));
    expect(byBody.get("Internal: customer is on the legacy plan.")).toMatchObject({ internal: true, author: { id: agent.id } });
    expect(byBody.get("We are on it.")).toMatchObject({ internal: false });
    for (const m of messages) expect(verifies(m, hook.secret)).toBe(true);

    const log = await deliveries(hook.id);
    expect(log.length).toBe(5);
    for (const d of log) expect(d).toMatchObject({ status: "delivered", attempts: [{ statusCode: 200, success: true, error: null, responseExcerpt: "ok" }] });
    expect(log.map((d) => d.event)).toContain("message.created");
  });

  it("retries a 500 with the same delivery id and body, and logs both attempts with their codes", async () => {
    const hook = await register("/flaky", ["ticket.created"]);
    receiver.answer("/flaky", (_r, nth) => (nth === 1 ? { status: 500, body: "database is down" } : { status: 204 }));
    const t = await buildTicket(ctx, customer);
    const [first, second] = await waitFor("two attempts", async () => receiver.at("/flaky").length >= 2 && receiver.at("/flaky"));
    expect(first!.headers["x-switchboard-delivery"]).toBe(second!.headers["x-switchboard-delivery"]);
    expect(first!.rawBody).toBe(second!.rawBody);
    expect(payloadOf(second!).data.ticket?.id).toBe(t.id);
    expect(verifies(first!, hook.secret)).toBe(true);
    expect(verifies(second!, hook.secret)).toBe(true);
    expect(second!.headers["x-switchboard-attempt"]).toBe("2");

    const [delivery] = await waitFor("the delivery to be delivered", async () => nonEmpty((await deliveries(hook.id)).filter((d) => d.status === "delivered")));
    expect(delivery!.id).toBe(first!.headers["x-switchboard-delivery"]);
    expect(delivery!.attempts).toMatchObject([
      { statusCode: 500, success: false, responseExcerpt: "database is down", error: "answered 500" },
      { statusCode: 204, success: true, error: null },
    ]);
    await sleep(1500);
    expect(receiver.at("/flaky")).toHaveLength(2);
  });

  it("disables a webhook whose deliveries keep failing, tells its owner, and sends nothing more", async () => {
    const otherAdmin = await buildAdmin(ctx);
    const hook = await register("/down", ["ticket.created"]);
    receiver.answer("/down", () => ({ status: 503, body: "maintenance" }));
    await buildTicket(ctx, customer);
    await buildTicket(ctx, customer);

    const disabled = await waitFor(
      "the webhook to be disabled",
      async () => {
        const w = json<Webhook>(await call(ctx, admin, "GET", `/api/v1/webhooks/${hook.id}`));
        return !w.active && w;
      },
      25_000,
    );
    expect(disabled.consecutiveFailures).toBe(2);
    expect(disabled.disabledReason).toMatch(/2 deliveries in a row failed after all their retries.*answered 503/);
    const log = await deliveries(hook.id);
    expect(log.map((d) => d.status)).toEqual(["failed", "failed"]);
    for (const d of log) expect(d.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503]);
    // Settled in the log, not dead-lettered: redelivery is from the log.
    expect(await jobsIn(ctx.db, "webhook.deliver.dead")).toHaveLength(0);

    type Notice = { kind: string; ticketId: string | null; data: { webhookId?: string; reason?: string } };
    const notices = json<{ items: Notice[] }>(await call(ctx, admin, "GET", "/api/v1/notifications")).items.filter((n) => n.kind === "webhook.disabled");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ ticketId: null, data: { webhookId: hook.id, reason: disabled.disabledReason } });
    const othersNotices = json<{ items: Notice[] }>(await call(ctx, otherAdmin, "GET", "/api/v1/notifications")).items;
    expect(othersNotices.filter((n) => n.kind === "webhook.disabled")).toHaveLength(0);

    const requestsBefore = receiver.at("/down").length;
    expect(requestsBefore).toBe(6);
    await buildTicket(ctx, customer);
    await sleep(2000);
    expect(receiver.at("/down")).toHaveLength(requestsBefore);
    expect(await deliveries(hook.id)).toHaveLength(2);
    // Redelivering to a disabled webhook is refused until it is enabled again.
    expect((await call(ctx, admin, "POST", `/api/v1/webhooks/${hook.id}/deliveries/${log[0]!.id}/redeliver`)).statusCode).toBe(409);

    // Re-enabling starts afresh.
    const enabled = json<Webhook>(await call(ctx, admin, "PATCH", `/api/v1/webhooks/${hook.id}`, { active: true }));
    expect(enabled).toMatchObject({ active: true, consecutiveFailures: 0, disabledReason: null });
  });

  it("does not follow a redirect: the 3xx is a failed attempt and the target never hears of it", async () => {
    const hook = await register("/moved", ["ticket.created"]);
    receiver.answer("/moved", () => ({ status: 302, headers: { location: `${receiver.baseUrl}/moved-target` } }));
    await buildTicket(ctx, customer);
    const [delivery] = await waitFor("the delivery to fail for good", async () => nonEmpty((await deliveries(hook.id)).filter((d) => d.status === "failed")), 25_000);
    expect(delivery!.attempts).toHaveLength(3);
    for (const a of delivery!.attempts) {
      expect(a).toMatchObject({ statusCode: 302, success: false });
      expect(a.error).toMatch(/redirects are not followed/);
    }
    expect(receiver.at("/moved")).toHaveLength(3);
    expect(receiver.at("/moved-target")).toHaveLength(0);
    // One failure is no streak long enough to disable it.
    expect(json<Webhook>(await call(ctx, admin, "GET", `/api/v1/webhooks/${hook.id}`))).toMatchObject({ active: true, consecutiveFailures: 1 });
  });

  it("enqueues nothing for a change that rolls back", async () => {
    const t = await buildTicket(ctx, customer);
    await sleep(300);
    await register("/rollback");
    const deliveriesBefore = await deliveryCount();
    const jobsBefore = (await jobsIn(ctx.db, "webhook.deliver")).length;
    let seenInside = 0;
    await expect(
      ctx.db.transaction(async (tx) => {
        const ticket = await findTicket(tx, agent.actor, t.id, { forUpdate: true });
        await applyTicketChanges(tx, agent.actor, ticket, { priority: "urgent" }, "api");
        // The delivery and its job were written in this transaction...
        seenInside = (await tx.select({ n: count() }).from(webhookDeliveries))[0]!.n;
        throw new Error("something later in the command failed");
      }),
    ).rejects.toThrow(/something later/);
    expect(seenInside).toBe(deliveriesBefore + 1);
    // ...and went with it.
    expect(await deliveryCount()).toBe(deliveriesBefore);
    expect((await jobsIn(ctx.db, "webhook.deliver")).length).toBe(jobsBefore);
    await sleep(1500);
    expect(receiver.at("/rollback")).toHaveLength(0);

    // The same change, committed, is delivered.
    expect((await call(ctx, agent, "PATCH", `/api/v1/tickets/${t.id}`, { priority: "urgent" })).statusCode).toBe(200);
    const [sent] = await waitFor("the committed change", async () => nonEmpty(receiver.at("/rollback")));
    expect(payloadOf(sent!).data.changes).toEqual([{ field: "priority", from: "medium", to: "urgent" }]);
  });

  it("sends a signed ping on request and redelivers a delivery under the same id", async () => {
    const hook = await register("/ping", ["sla.breached"]);
    const res = await call(ctx, admin, "POST", `/api/v1/webhooks/${hook.id}/test`);
    expect(res.statusCode, res.body).toBe(202);
    const queued = json<Delivery>(res);
    expect(queued).toMatchObject({ event: "ping", status: "pending", attempts: [] });
    const [ping] = await waitFor("the ping", async () => nonEmpty(receiver.at("/ping")));
    expect(verifies(ping!, hook.secret)).toBe(true);
    expect(ping!.headers["x-switchboard-event"]).toBe("ping");
    expect(ping!.headers["x-switchboard-delivery"]).toBe(queued.id);
    expect(payloadOf(ping!)).toMatchObject({ event: "ping", deliveryId: queued.id, actor: { id: admin.id }, data: { webhook: { id: hook.id } } });

    await waitFor("the ping to be logged as delivered", async () => (await deliveries(hook.id)).find((d) => d.status === "delivered"));
    // Rotating the secret applies to the redelivery at once.
    const rotated = json<Webhook>(await call(ctx, admin, "POST", `/api/v1/webhooks/${hook.id}/rotate-secret`));
    const again = await call(ctx, admin, "POST", `/api/v1/webhooks/${hook.id}/deliveries/${queued.id}/redeliver`);
    expect(again.statusCode, again.body).toBe(202);
    const [, second] = await waitFor("the redelivery", async () => receiver.at("/ping").length >= 2 && receiver.at("/ping"));
    expect(second!.headers["x-switchboard-delivery"]).toBe(queued.id);
    expect(second!.rawBody).toBe(ping!.rawBody);
    expect(verifies(second!, rotated.secret)).toBe(true);
    expect(verifies(second!, hook.secret)).toBe(false);
    const [logged] = await waitFor("two logged attempts", async () => nonEmpty((await deliveries(hook.id)).filter((d) => d.attempts.length === 2 && d.status === "delivered")));
    expect(logged!.id).toBe(queued.id);

    const unknown = await call(ctx, admin, "POST", `/api/v1/webhooks/${hook.id}/deliveries/${randomUUID()}/redeliver`);
    expect(unknown.statusCode).toBe(404);
    // The delivery belongs to this webhook only.
    const other = await register("/elsewhere", ["sla.breached"]);
    expect((await call(ctx, admin, "POST", `/api/v1/webhooks/${other.id}/deliveries/${queued.id}/redeliver`)).statusCode).toBe(404);
  });

  it("publishes merges and SLA warnings and breaches", async () => {
    const hook = await register("/sla", ["ticket.merged", "sla.warning", "sla.breached"]);
    await createPolicy(ctx, admin, { name: "Webhook drill", conditions: { category: ["webhook-sla"] }, targets: { first_response: { seconds: 3600, timeMode: "calendar" } } });
    const source = await buildTicket(ctx, customer, { subject: "Duplicate printer report" });
    const target = await buildTicket(ctx, customer, { subject: "Printer on floor 3", category: "webhook-sla" });
    expect((await call(ctx, agent, "POST", `/api/v1/tickets/${source.id}/merge`, { into: target.id })).statusCode).toBe(200);
    const [merged] = await waitFor("ticket.merged", async () => nonEmpty(about("/sla", "ticket.merged", source.id)));
    expect(verifies(merged!, hook.secret)).toBe(true);
    expect(payloadOf(merged!)).toMatchObject({ actor: { id: agent.id }, data: { mergedInto: { id: target.id, number: target.number }, ticket: { status: "closed" } } });
    // The target's side of the merge is not a second event.
    expect(receiver.at("/sla").filter((r) => payloadOf(r).event === "ticket.merged")).toHaveLength(1);

    // Filed a day ago (its history moved back), so its one-hour first-response target is long
    // past: the sweep fires each warning threshold and the breach.
    const dayAgo = new Date(Date.now() - 86_400_000);
    await stampEvents(ctx, target.id, 0, dayAgo);
    await resync(ctx, target.id, dayAgo);
    await runSlaSweep(ctx.db);
    const breached = await waitFor("sla.breached", async () => nonEmpty(about("/sla", "sla.breached", target.id)));
    const warnings = await waitFor("sla.warning", async () => nonEmpty(about("/sla", "sla.warning", target.id)));
    expect(payloadOf(breached[0]!)).toMatchObject({ channel: "sla", data: { sla: { metric: expect.any(String), breachedAt: expect.any(String) }, ticket: { id: target.id } } });
    expect(payloadOf(warnings[0]!).data).toMatchObject({ sla: { metric: expect.any(String), threshold: expect.any(Number) } });
    for (const r of [...breached, ...warnings]) expect(verifies(r, hook.secret)).toBe(true);
  });

  it("checks the address again at delivery time, and refuses one that is no longer allowed", async () => {
    const hook = await register("/strict", ["ticket.created"]);
    await buildTicket(ctx, customer);
    const [delivered] = await waitFor("the delivery", async () => nonEmpty((await deliveries(hook.id)).filter((d) => d.status === "delivered")));
    // The same delivery run again by a job whose settings forbid private targets (as if the
    // name now resolved to a private address, or the operator turned the allowance off).
    const strict = createDeliverWebhookJob({ retry: { retryLimit: 2 }, settings: () => ({ ...webhookSettingsFrom(ctx.config), allowPrivateTargets: false }) });
    await ctx.db.update(webhookDeliveries).set({ status: "pending" }).where(eq(webhookDeliveries.id, delivered!.id));
    const before = receiver.at("/strict").length;
    const run = (attempt: number) =>
      strict.handler(
        { deliveryId: delivered!.id },
        { jobId: randomUUID(), rootId: randomUUID(), attempt, name: strict.name, db: ctx.db, log: silentLog, signal: new AbortController().signal, step: () => Promise.reject(new Error("no steps")) },
      );
    await expect(run(1)).rejects.toThrow(/private or reserved address/);
    // The last attempt settles it as failed instead of throwing.
    await run(3);
    expect(receiver.at("/strict").length).toBe(before);
    const [logged] = await deliveries(hook.id);
    expect(logged!.status).toBe("failed");
    expect(logged!.attempts.map((a) => a.statusCode)).toEqual([200, null, null]);
    expect(logged!.attempts.at(-1)).toMatchObject({ success: false, error: expect.stringMatching(/^refused: 127\.0\.0\.1 resolves to a private or reserved address/) });
  });
});
