import { createHmac } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { JIRA_WEBHOOK_SOURCE } from "../../src/connectors/jira/constants.js";
import type { JiraMappingInput } from "../../src/connectors/jira/mapping.js";
import { storeInboundEvent } from "../../src/db/repositories/inboundEvents.js";
import { connections, inboundEvents, tickets } from "../../src/db/schema/index.js";
import { JOBS_SCHEMA } from "../../src/jobs/queue.js";
import { rows, waitFor } from "../jobs/fixtures/jobTesting.js";
import { call, json } from "../helpers/testApp.js";
import type { FakeIssue } from "./fake/state.js";
import { useConnectedHarness, WEBHOOK_SECRET, type Harness } from "./syncHarness.js";

const mapping = { status: { fromJira: [{ match: { categoryKey: "done" }, ticketStatus: "resolved" }], toJira: [] } } satisfies JiraMappingInput;

/**
 * The receiver only stores a delivery; `jira.dispatch-events` sorts stored deliveries in batches
 * (DESIGN.md §7, the 500 req/s benchmark in bench/results/jira-webhooks.md).
 */
describe("Jira webhook receipt and dispatch", () => {
  let h: Harness;
  const secret = { secret: WEBHOOK_SECRET };
  useConnectedHarness({ mapping }, (started) => (h = started));

  function newIssue(summary: string): FakeIssue {
    return h.fake.state.plainIssue(summary);
  }
  async function linkedTicket(issue: FakeIssue) {
    const t = await h.ticket({ subject: issue.summary });
    expect((await call(h.ctx, h.agent, "POST", `/api/v1/tickets/${t.id}/jira/link`, { key: issue.key })).statusCode).toBe(201);
    await h.idle();
    return t;
  }
  function resolve(issue: FakeIssue) {
    const from = h.fake.state.status(issue.statusId)!;
    issue.statusId = "10001";
    h.fake.state.touch(issue);
    return [{ field: "status", fieldtype: "jira", fieldId: "status", from: from.id, fromString: from.name, to: "10001", toString: "Done" }];
  }
  const jobsNamed = async (name: string) => (await rows<{ n: number }>(h.ctx.db, sql`select count(*)::int as n from ${sql.raw(JOBS_SCHEMA)}.job where name = ${name}`))[0]!.n;
  const statusOf = async (id: string) => (await h.ctx.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, id)))[0]!.status;
  const eventByDelivery = async (deliveryId: string) => (await h.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.deliveryId, deliveryId)))[0];

  it("acknowledges a burst with one stored row each, settles the unlinked ones in batches, and queues work only for the linked one", async () => {
    const linkedIssue = newIssue("Checkout fails");
    const ticket = await linkedTicket(linkedIssue);
    const nobodys = newIssue("An issue no ticket or customer follows");
    const processJobsBefore = await jobsNamed("jira.process-event");
    const storedBefore = await h.storedEvents();

    const burst = Array.from({ length: 40 }, () => h.fake.issueUpdatedDelivery(nobodys.key, [], secret));
    const linked = h.fake.issueUpdatedDelivery(linkedIssue.key, resolve(linkedIssue), secret);
    const answers = await Promise.all([...burst, linked].map((d) => h.deliver(d)));
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 202));
    expect(await h.storedEvents()).toBe(storedBefore + 41);

    await h.idle();
    expect(await statusOf(ticket.id)).toBe("resolved");
    // One processing job, for the one delivery about a linked issue; the 40 others were settled by the dispatcher.
    expect((await jobsNamed("jira.process-event")) - processJobsBefore).toBe(1);
    expect(await jobsNamed("jira.dispatch-events")).toBeGreaterThan(0);
    const stored = await h.ctx.db.select().from(inboundEvents);
    expect(stored.filter((e) => e.processedAt === null || e.dispatchedAt === null || e.error !== null)).toEqual([]);
  });

  it("settles a stored delivery whose wake-up was lost (a crash after the insert) when the dispatcher next runs, as its cron does", async () => {
    const issue = newIssue("Invoice totals wrong");
    const ticket = await linkedTicket(issue);
    const delivery = h.fake.issueUpdatedDelivery(issue.key, resolve(issue), secret);
    const deliveryId = delivery.headers["x-atlassian-webhook-identifier"]!;
    // What the receiver writes, without its wake-up.
    await storeInboundEvent(h.ctx.db, { source: JIRA_WEBHOOK_SOURCE, connectionId: await h.connectionId(), deliveryId, eventType: "jira:issue_updated", payload: JSON.parse(delivery.body) as unknown });
    await new Promise((r) => setTimeout(r, 200));
    expect((await eventByDelivery(deliveryId))!.dispatchedAt).toBeNull();
    expect(await statusOf(ticket.id)).not.toBe("resolved");
    const backlog = async () => json<{ webhookBacklog: { waiting: number; oldestReceivedAt: string | null } }>(await call(h.ctx, h.admin, "GET", "/api/v1/connections/jira")).webhookBacklog;
    expect(await backlog()).toMatchObject({ waiting: 1, oldestReceivedAt: expect.any(String) });

    await h.queue.boss.send("jira.dispatch-events", {});
    await waitFor("the event's processing", async () => (await eventByDelivery(deliveryId))!.processedAt !== null, 30_000);
    await h.idle();
    expect(await statusOf(ticket.id)).toBe("resolved");
    expect(await backlog()).toEqual({ waiting: 0, oldestReceivedAt: null });
    // The receiver recognises the redelivery of a delivery that was stored that way.
    expect(json(await h.deliver(delivery))).toEqual({ received: true, duplicate: true });
  });

  it("keeps the events of a paused connection, marked with why, for the catch-up after the fix", async () => {
    const issue = newIssue("Export stuck");
    const ticket = await linkedTicket(issue);
    await h.ctx.db.update(connections).set({ status: "auth_failed", lastError: "Jira refused the credentials (401)" });
    try {
      const delivery = h.fake.issueUpdatedDelivery(issue.key, resolve(issue), secret);
      expect((await h.deliver(delivery)).statusCode).toBe(202);
      await h.idle();
      const event = (await eventByDelivery(delivery.headers["x-atlassian-webhook-identifier"]!))!;
      expect(event.dispatchedAt).not.toBeNull();
      expect(event.processedAt).toBeNull();
      expect(event.error).toBe("not processed: the Jira connection is auth_failed");
      expect(await statusOf(ticket.id)).not.toBe("resolved");
    } finally {
      await h.ctx.db.update(connections).set({ status: "active", lastError: null });
    }
  });

  it("answers 400 to a signed body PostgreSQL could not store (a NUL character), storing nothing", async () => {
    const issue = newIssue("Weird bytes");
    const good = h.fake.issueUpdatedDelivery(issue.key, [], secret);
    const body = good.body.replace('"summary":', '"summary":"nul\\u0000here","ignoredSummary":');
    expect(body).not.toBe(good.body);
    const before = await h.storedEvents();
    const res = await h.deliver({ headers: { ...good.headers, "x-hub-signature": `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}` }, body });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/problem\+json/);
    expect(json<{ detail: string }>(res).detail).toMatch(/NUL/);
    expect(await h.storedEvents()).toBe(before);
  });
});
