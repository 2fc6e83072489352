import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import type { JiraMappingInput } from "../../src/connectors/jira/mapping.js";
import { describe, expect, it } from "vitest";
import { updateTicket } from "../../src/commands/tickets/updateTicket.js";
import { followExternal } from "../../src/commands/subscriptions/follow.js";
import { markdownToAdfDocument } from "../../src/connectors/jira/text.js";
import { externalLinks, inboundEvents, messages, ticketEvents, tickets } from "../../src/db/schema/index.js";
import type { FakeIssue } from "./fake/state.js";
import { buildAgent } from "../helpers/factories.js";
import { call, json } from "../helpers/testApp.js";
import { waitFor } from "../jobs/fixtures/jobTesting.js";
import { useConnectedHarness, WEBHOOK_SECRET, type Harness } from "./syncHarness.js";

const mapping = {
  status: {
    fromJira: [
      { match: { categoryKey: "done" }, ticketStatus: "resolved" },
      { match: { categoryKey: "indeterminate" }, ticketStatus: "in_progress" },
    ],
    toJira: [],
  },
} satisfies JiraMappingInput;

const statusItem = (from: string, fromName: string, to: string, toName: string) => ({ field: "status", fieldtype: "jira", fieldId: "status", from, fromString: fromName, to, toString: toName });

describe("Jira → tickets (webhooks)", () => {
  let h: Harness;
  const secret = { secret: WEBHOOK_SECRET };
  useConnectedHarness({ mapping }, (started) => (h = started));

  function newIssue(summary = "Shared bug"): FakeIssue {
    return h.fake.state.plainIssue(summary);
  }
  async function linkedTickets(issue: FakeIssue, n = 1) {
    const out = [];
    for (let i = 0; i < n; i++) {
      const t = await h.ticket({ subject: `${issue.summary} (${i})` });
      const res = await call(h.ctx, h.agent, "POST", `/api/v1/tickets/${t.id}/jira/link`, { key: issue.key });
      expect(res.statusCode, res.body).toBe(201);
      out.push(t);
    }
    return out;
  }
  function moveTo(issue: FakeIssue, statusId: string) {
    const from = h.fake.state.status(issue.statusId)!;
    const to = h.fake.state.status(statusId)!;
    issue.statusId = statusId;
    h.fake.state.touch(issue);
    return statusItem(from.id, from.name, to.id, to.name);
  }
  const statusOf = async (id: string) => (await h.ctx.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, id)))[0]!.status;
  const notesOf = (ticketId: string) => h.ctx.db.select().from(messages).where(eq(messages.ticketId, ticketId)).orderBy(messages.createdAt);

  it("answers 401 to a missing or wrong signature and 400 to a body that is not a Jira event, storing nothing", async () => {
    const issue = newIssue();
    await linkedTickets(issue);
    const good = h.fake.issueUpdatedDelivery(issue.key, [moveTo(issue, "3")], secret);
    const unsigned = { ...good, headers: { ...good.headers } };
    delete unsigned.headers["x-hub-signature"];
    const wrong = { ...good, headers: { ...good.headers, "x-hub-signature": good.headers["x-hub-signature"]!.replace(/.$/, (c) => (c === "0" ? "1" : "0")) } };
    const otherSecret = h.fake.issueUpdatedDelivery(issue.key, [], { secret: "not-the-webhook-secret" });
    const tampered = { ...good, body: good.body.replace(issue.key, "SUP-999") };
    for (const d of [unsigned, wrong, otherSecret, tampered]) {
      const res = await h.deliver(d);
      expect(res.statusCode).toBe(401);
      expect(res.headers["content-type"]).toMatch(/problem\+json/);
    }
    const notJson = await h.deliver({ headers: { ...good.headers, "x-hub-signature": sign("{not json") }, body: "{not json" });
    expect(notJson.statusCode).toBe(400);
    const wrongShape = JSON.stringify({ webhookEvent: "jira:issue_updated", issue: { key: "SUP-1" } });
    const shape = await h.deliver({ headers: { ...good.headers, "x-hub-signature": sign(wrongShape) }, body: wrongShape });
    expect(shape.statusCode).toBe(400);
    expect(json<{ detail: string }>(shape).detail).toMatch(/jira:issue_updated: issue.id/);
    expect(await h.storedEvents()).toBe(0);

    // The genuine one is stored and acknowledged with 202.
    const ok = await h.deliver(good);
    expect(ok.statusCode).toBe(202);
    expect(json(ok)).toEqual({ received: true, duplicate: false });
    expect(await h.storedEvents()).toBe(1);
  });

  it("accepts the captured payload shapes (v2 samples, Cloud and DC comments) and ignores issues nobody linked", async () => {
    const before = await h.storedEvents();
    for (const name of ["jira-webhook-issue-created", "jira-webhook-issue-updated-resolved", "jira-webhook-issue-deleted", "jira-webhook-cloud-comment-created", "jira-webhook-cloud-comment-updated", "jira-webhook-cloud-comment-deleted", "jira-webhook-server-comment-created"] as const) {
      const res = await h.deliver(h.fake.sampleDelivery(name, secret));
      expect(res.statusCode, `${name}: ${res.body}`).toBe(202);
    }
    await h.idle();
    const rows = await h.ctx.db.select().from(inboundEvents);
    expect(rows.length - before).toBe(7);
    // Unknown issues: acknowledged, marked processed, nothing called in Jira for them.
    expect(rows.every((r) => r.processedAt !== null && r.error === null)).toBe(true);
  });

  it("moves every linked ticket by status category, through the state machine, as the connector", async () => {
    const issue = newIssue("Exports time out");
    const [a, b] = await linkedTickets(issue, 2);
    expect((await h.deliver(h.fake.issueUpdatedDelivery(issue.key, [moveTo(issue, "3")], secret))).statusCode).toBe(202);
    await h.idle();
    expect(await statusOf(a!.id)).toBe("in_progress");
    expect(await statusOf(b!.id)).toBe("in_progress");

    // "Waiting for customer" is another status of the same category: by category, the same.
    await h.deliver(h.fake.issueUpdatedDelivery(issue.key, [moveTo(issue, "10002")], secret));
    await h.idle();
    expect(await statusOf(a!.id)).toBe("in_progress");

    await h.deliver(h.fake.issueUpdatedDelivery(issue.key, [moveTo(issue, "10001")], secret));
    await h.idle();
    expect(await statusOf(a!.id)).toBe("resolved");
    expect(await statusOf(b!.id)).toBe("resolved");
    const changes = await h.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, a!.id));
    const resolved = changes.find((e) => e.type === "ticket.status_changed" && e.toValue === "resolved")!;
    expect(resolved).toMatchObject({ channel: "jira", actorId: "00000000-0000-0000-0000-000000000001", fromValue: "in_progress" });
    expect((await h.links(a!.id))[0]).toMatchObject({ remoteStatus: "Done", lastError: null });
    // The assignee-less ticket's "Jira is done" notice goes to admins.
    expect((await h.notificationsOf(h.admin.id)).some((n) => n.kind === "jira.issue_done" && n.title.includes(issue.key))).toBe(true);
  });

  it("leaves a history note when the ticket refuses the move, and does not try again", async () => {
    const issue = newIssue("Closed meanwhile");
    const [t] = await linkedTickets(issue);
    await updateTicket({ db: h.ctx.db, actor: h.agent.actor, ticketRef: t!.id, change: { status: "closed" }, channel: "api" });
    await h.deliver(h.fake.issueUpdatedDelivery(issue.key, [moveTo(issue, "10001")], secret));
    await h.idle();
    expect(await statusOf(t!.id)).toBe("closed");
    const notes = (await h.ctx.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t!.id))).filter((e) => e.type === "jira.status_not_applied");
    expect(notes).toHaveLength(1);
    expect(notes[0]!.toValue).toMatchObject({ key: issue.key, wanted: "resolved", jiraStatus: "Done" });
    expect(String((notes[0]!.toValue as { reason: string }).reason)).toMatch(/cannot move a closed ticket to resolved/);
    // The snapshot moved on: the same state delivered again adds nothing.
    await h.deliver(h.fake.issueUpdatedDelivery(issue.key, [], secret));
    await h.idle();
    expect((await h.eventTypes(t!.id)).filter((e) => e === "jira.status_not_applied")).toHaveLength(1);
    const [link] = await h.ctx.db.select().from(externalLinks).where(eq(externalLinks.ticketId, t!.id));
    expect((link!.snapshot as { issue: { statusName: string } }).issue.statusName).toBe("Done");
  });

  it("turns Jira comments into internal notes, JSM public comments into public replies, and follows edits and deletions", async () => {
    const ana = await buildAgent(h.ctx, { email: "ana@example.com", name: "Ana Developer" });
    const issue = newIssue("Comments both ways");
    const [t] = await linkedTickets(issue);
    const state = h.fake.state;
    const internal = state.newComment(issue, markdownToAdfDocument("Reproduced on **staging**."), false, new Map([["sd.public.comment", { internal: true }]]));
    internal.author = state.users[1]!;
    await h.deliver(h.fake.commentDelivery("comment_created", issue.key, internal.id, secret));
    const stranger = state.newComment(issue, markdownToAdfDocument("Fix is deployed; please retry."), true, new Map());
    stranger.author = { ...state.users[1]!, accountId: "557058:stranger", emailAddress: "dev@elsewhere.example", displayName: "Dee Vendor" };
    await h.deliver(h.fake.commentDelivery("comment_created", issue.key, stranger.id, secret));
    await h.idle();

    let notes = await notesOf(t!.id);
    expect(notes).toHaveLength(2);
    // Ana is one of our agents (by email): her comment is her note. It is internal.
    expect(notes[0]).toMatchObject({ authorId: ana.id, isInternal: true, channel: "jira", body: "Reproduced on **staging**." });
    // A JSM public comment (jsdPublic, no restriction) is customer-facing; the Jira author is named.
    expect(notes[1]).toMatchObject({ authorId: "00000000-0000-0000-0000-000000000001", isInternal: false, channel: "jira" });
    expect(notes[1]!.body).toBe("_Dee Vendor in Jira (" + issue.key + "):_\n\nFix is deployed; please retry.");
    // The customer sees the public one only.
    const threadRes = await call(h.ctx, h.customer, "GET", `/api/v1/tickets/${t!.id}/messages`);
    expect(threadRes.statusCode, threadRes.body).toBe(200);
    const thread = json<{ items: { body: string }[] }>(threadRes);
    expect(thread.items.map((m) => m.body)).toEqual([notes[1]!.body]);

    internal.body = markdownToAdfDocument("Reproduced on **staging** and prod.");
    await h.deliver(h.fake.commentDelivery("comment_updated", issue.key, internal.id, secret));
    const deliveredBeforeDelete = h.fake.commentDelivery("comment_deleted", issue.key, stranger.id, secret);
    issue.comments.splice(issue.comments.indexOf(stranger), 1);
    await h.deliver(deliveredBeforeDelete);
    await h.idle();
    notes = await notesOf(t!.id);
    expect(notes[0]!.body).toBe("Reproduced on **staging** and prod.");
    expect(notes[1]!.body).toBe("_(This comment was deleted in Jira.)_");
    expect(await h.eventTypes(t!.id)).toEqual(expect.arrayContaining(["note.added", "reply.added", "jira.comment_updated", "jira.comment_deleted"]));
  });

  it("processes a redelivered event once and ignores duplicates by delivery id", async () => {
    const issue = newIssue("Duplicates");
    const [t] = await linkedTickets(issue);
    const c = h.fake.state.newComment(issue, markdownToAdfDocument("Only once, please."), false, new Map());
    c.author = h.fake.state.users[1]!;
    const d = h.fake.commentDelivery("comment_created", issue.key, c.id, { ...secret, deliveryId: "delivery-dup-1" });
    const first = await h.deliver(d);
    const again = await h.deliver({ ...d, headers: { ...d.headers, "x-atlassian-webhook-retry": "1" } });
    expect(json(first)).toEqual({ received: true, duplicate: false });
    expect(json(again)).toEqual({ received: true, duplicate: true });
    // The same change under another delivery id (Jira sends one event per listener) changes nothing more.
    await h.deliver(h.fake.commentDelivery("comment_created", issue.key, c.id, secret));
    await h.deliver(h.fake.issueUpdatedDelivery(issue.key, [], { ...secret, eventType: "issue_commented" }));
    await h.idle();
    expect((await notesOf(t!.id)).filter((m) => m.body.includes("Only once"))).toHaveLength(1);
    expect((await h.ctx.db.select().from(inboundEvents).where(eq(inboundEvents.deliveryId, "delivery-dup-1")))).toHaveLength(1);
  });

  it("is unmoved by out-of-order deliveries: it applies the issue as Jira holds it now", async () => {
    const issue = newIssue("Out of order");
    const [t] = await linkedTickets(issue);
    const older = h.fake.issueUpdatedDelivery(issue.key, [moveTo(issue, "3")], secret);
    const newer = h.fake.issueUpdatedDelivery(issue.key, [moveTo(issue, "10001")], secret);
    await h.deliver(newer);
    await h.idle();
    expect(await statusOf(t!.id)).toBe("resolved");
    await h.deliver(older);
    await h.idle();
    expect(await statusOf(t!.id)).toBe("resolved");
    // A comment edit arriving before its creation still yields one, edited, note.
    const c = h.fake.state.newComment(issue, markdownToAdfDocument("first words"), false, new Map());
    const created = h.fake.commentDelivery("comment_created", issue.key, c.id, secret);
    c.body = markdownToAdfDocument("second words");
    await h.deliver(h.fake.commentDelivery("comment_updated", issue.key, c.id, secret));
    await h.deliver(created);
    await h.idle();
    const notes = (await notesOf(t!.id)).filter((m) => m.channel === "jira");
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toMatch(/second words$/);
  });

  it("tells Jira-key followers when the issue is resolved, and `updates` followers of priority changes", async () => {
    const issue = newIssue("Followed issue");
    const [t] = await linkedTickets(issue, 2);
    const csm = await buildAgent(h.ctx, { name: "Cass CSM" });
    const watcher = await buildAgent(h.ctx, { name: "Walt Watcher" });
    await followExternal(h.ctx.db, csm.id, "jira", issue.key, "resolved");
    await followExternal(h.ctx.db, watcher.id, "jira", issue.key, "updates");

    issue.priorityId = "1";
    h.fake.state.touch(issue);
    await h.deliver(h.fake.issueUpdatedDelivery(issue.key, [{ field: "priority", fieldtype: "jira", fieldId: "priority", from: "3", fromString: "Medium", to: "1", toString: "Highest" }], secret));
    await h.idle();
    // Priority is two-way by default: the ticket follows Jira.
    expect((await h.ctx.db.select({ p: tickets.priority }).from(tickets).where(eq(tickets.id, t!.id)))[0]!.p).toBe("urgent");
    expect(await h.notificationsOf(csm.id)).toEqual([]);
    expect(await h.notificationsOf(watcher.id)).toEqual([{ kind: "jira.issue_updated", title: `${issue.key} priority is now Highest` }]);

    await h.deliver(h.fake.issueUpdatedDelivery(issue.key, [moveTo(issue, "10001")], secret));
    await h.deliver(h.fake.issueUpdatedDelivery(issue.key, [], secret));
    await h.idle();
    // Once each, although two tickets share the issue and the event came twice.
    expect(await h.notificationsOf(csm.id)).toEqual([{ kind: "jira.issue_resolved", title: `${issue.key} is resolved (Done)` }]);
    expect((await h.notificationsOf(watcher.id)).map((n) => n.kind)).toEqual(["jira.issue_updated", "jira.issue_resolved"]);
  });

  it("marks the links of an issue deleted in Jira, with a note, as the daily pass does; the ticket can be escalated again", async () => {
    const issue = newIssue("Deleted later");
    const [t] = await linkedTickets(issue);
    const d = h.fake.sampleDelivery("jira-webhook-issue-deleted", secret);
    const body = JSON.parse(d.body) as { issue: { id: string; key: string } };
    body.issue.id = issue.id;
    body.issue.key = issue.key;
    h.fake.state.issues.splice(h.fake.state.issues.indexOf(issue), 1);
    const raw = JSON.stringify(body);
    await h.deliver({ headers: { ...d.headers, "x-hub-signature": sign(raw) }, body: raw });
    await h.idle();
    // The link stays, so agents see which issue it was, and no longer syncs.
    expect((await h.links(t!.id)).map((l) => ({ key: l.remoteKey, lastError: l.lastError }))).toEqual([{ key: issue.key, lastError: "Deleted in Jira" }]);
    expect(await h.eventTypes(t!.id)).toContain("jira.issue_deleted");
    expect(await h.eventTypes(t!.id)).not.toContain("jira.unlinked");
    expect((await notesOf(t!.id)).filter((m) => m.isInternal && m.body.includes(`${issue.key} was deleted in Jira`))).toHaveLength(1);
    // A second delivery of the same deletion adds nothing.
    await h.deliver({ headers: { ...d.headers, "x-atlassian-webhook-identifier": "another-delivery-of-the-deletion", "x-hub-signature": sign(raw) }, body: raw });
    await h.idle();
    expect((await notesOf(t!.id)).filter((m) => m.body.includes("was deleted in Jira"))).toHaveLength(1);

    expect((await call(h.ctx, h.agent, "POST", `/api/v1/tickets/${t!.id}/jira`)).statusCode).toBe(202);
    await waitFor("the new issue's link", async () => (await h.links(t!.id)).length === 2);
    const [, fresh] = await h.links(t!.id);
    expect(fresh!.remoteKey).not.toBe(issue.key);
    expect(fresh!.lastError).toBeNull();
  });
});

function sign(body: string): string {
  // Written here from PROTOCOLS.md §2.1, independent of the code under test.
  return `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
}
