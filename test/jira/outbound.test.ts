import { eq } from "drizzle-orm";
import type { JiraMappingInput } from "../../src/connectors/jira/mapping.js";
import { describe, expect, it } from "vitest";
import { replyToTicket } from "../../src/commands/tickets/replyToTicket.js";
import { updateTicket } from "../../src/commands/tickets/updateTicket.js";
import { jiraBodyToPlainText } from "../../src/connectors/jira/text.js";
import { connections, externalComments, messages, tickets } from "../../src/db/schema/index.js";
import { call, json } from "../helpers/testApp.js";
import { waitFor } from "../jobs/fixtures/jobTesting.js";
import { useConnectedHarness, WEBHOOK_SECRET, type Harness } from "./syncHarness.js";

const mapping = {
  comments: { publicReplies: true, internalNotes: true, internalVia: "servicedesk" },
  ownership: { status: "both" },
  status: {
    // A status is pushed only where it maps back: that is how its echo is recognised.
    fromJira: [
      { match: { categoryKey: "done" }, ticketStatus: "resolved" },
      { match: { statusId: "3" }, ticketStatus: "in_progress" },
    ],
    toJira: [
      { ticketStatus: "resolved", target: { categoryKey: "done" } },
      { ticketStatus: "in_progress", target: { statusId: "3" } },
    ],
  },
} satisfies JiraMappingInput;

describe("tickets → Jira", () => {
  let h: Harness;
  const secret = { secret: WEBHOOK_SECRET };
  useConnectedHarness({ mapping }, (started) => (h = started));

  async function escalated(subject: string) {
    const t = await h.ticket({ subject });
    const link = await h.escalate(t.id);
    return { t, issue: h.fake.state.findIssue(link.remoteKey!)!, link };
  }
  const reply = (ticketId: string, body: string, isInternal = false, who = h.agent) => replyToTicket({ db: h.ctx.db, actor: who.actor, ticketRef: ticketId, body, isInternal, channel: "api" });
  const texts = (issue: { comments: { body: unknown }[] }) => issue.comments.map((c) => (typeof c.body === "string" ? c.body : jiraBodyToPlainText(c.body)));
  const jiraNotes = async (ticketId: string) => (await h.ctx.db.select().from(messages).where(eq(messages.ticketId, ticketId))).filter((m) => m.channel === "jira");

  it("posts agents' public replies as comments and notes as JSM internal comments, never a customer's words", async () => {
    const { t, issue } = await escalated("Comments out");
    await reply(t.id, "We have asked engineering to look at this.");
    await reply(t.id, "Customer is on the legacy plan; check their **quota**.", true);
    await reply(t.id, "My phone number is 555-0100, call me", false, h.customer);
    await h.idle();
    expect(issue.comments).toHaveLength(2);
    const [pub, note] = issue.comments;
    expect(jiraBodyToPlainText(pub!.body)).toMatch(new RegExp(`^Aggie Agent \\(${t.number}\\):\\s+We have asked engineering`));
    expect(pub!.jsdPublic).toBe(true);
    // The note went through JSM's API as an internal comment, in wiki markup.
    expect(note!.jsdPublic).toBe(false);
    expect(note!.body).toMatch(/\*Aggie Agent\* \(SUP-\d+\):\n\nCustomer is on the legacy plan; check their \*quota\*\./);
    const sd = h.fake.apiCalls("createRequestComment").at(-1)!;
    expect(sd.json).toMatchObject({ public: false });
    // The customer's reply (and the number in it) stayed home.
    for (const r of h.fake.requests) expect(JSON.stringify(r.json ?? "")).not.toMatch(/555-0100|Carla/);
    const mapped = await h.ctx.db.select().from(externalComments).where(eq(externalComments.remoteIssueId, issue.id));
    expect(mapped.map((m) => [m.direction, m.remoteCommentId]).sort()).toEqual([["outbound", pub!.id], ["outbound", note!.id]].sort());
  });

  it("posts a burst of replies once each, in the order they were written, though their jobs run together", async () => {
    const { t, issue } = await escalated("Burst of replies");
    const bodies = Array.from({ length: 6 }, (_, i) => `Burst reply number ${i + 1}.`);
    for (const body of bodies) await reply(t.id, body, bodies.indexOf(body) % 2 === 1);
    await h.idle();
    expect(texts(issue).map((c) => c.replace(/^.*\):\s*/s, ""))).toEqual(bodies);
    const posts = h.fake.requests.filter((r) => r.method === "POST" && /\/comment$/.test(r.path) && JSON.stringify(r.json).includes("Burst reply"));
    expect(posts).toHaveLength(6);
  });

  it("recognises its own echoes: comments it posted and fields it pushed come back as nothing new", async () => {
    const { t, issue } = await escalated("Echo suppression");
    await reply(t.id, "Echo me once.");
    await h.idle();
    const [posted] = issue.comments;
    await h.deliver(h.fake.commentDelivery("comment_created", issue.key, posted!.id, secret));
    await h.deliver(h.fake.issueUpdatedDelivery(issue.key, [], { ...secret, eventType: "issue_commented" }));
    await h.idle();
    expect(await jiraNotes(t.id)).toEqual([]);

    await updateTicket({ db: h.ctx.db, actor: h.agent.actor, ticketRef: t.id, change: { priority: "urgent", status: "in_progress" }, channel: "api" });
    await h.idle();
    expect(issue.priorityId).toBe("1");
    expect(issue.statusId).toBe("3");
    const before = await h.eventTypes(t.id);
    await h.deliver(
      h.fake.issueUpdatedDelivery(
        issue.key,
        [
          { field: "priority", fieldtype: "jira", fieldId: "priority", from: "3", fromString: "Medium", to: "1", toString: "Highest" },
          { field: "status", fieldtype: "jira", fieldId: "status", from: "10000", fromString: "To Do", to: "3", toString: "In Progress" },
        ],
        secret,
      ),
    );
    await h.idle();
    expect(await h.eventTypes(t.id)).toEqual(before);
    expect(h.fake.apiCalls("editIssue")).toHaveLength(1);

    // Resolving the ticket moves the issue into a done status; its echo changes nothing either.
    await updateTicket({ db: h.ctx.db, actor: h.agent.actor, ticketRef: t.id, change: { status: "resolved" }, channel: "api" });
    await h.idle();
    expect(h.fake.state.status(issue.statusId)!.category.key).toBe("done");
    const resolved = await h.eventTypes(t.id);
    await h.deliver(h.fake.issueUpdatedDelivery(issue.key, [{ field: "status", fieldtype: "jira", fieldId: "status", from: "3", fromString: "In Progress", to: issue.statusId, toString: "Done" }], secret));
    await h.idle();
    expect(await h.eventTypes(t.id)).toEqual(resolved);
  });

  it("posts once when the answer to a post is lost, however the retry and the echo interleave", async () => {
    const { t, issue } = await escalated("Lost comment answer");
    h.fake.failNext({ status: 504, path: /\/comment$/, method: "POST", takesEffect: true });
    await reply(t.id, "This must appear exactly once.");
    await waitFor("the comment in Jira", async () => issue.comments.length === 1);
    // Its webhook arrives while our job still waits to retry.
    await h.deliver(h.fake.commentDelivery("comment_created", issue.key, issue.comments[0]!.id, secret));
    await h.idle();
    expect(texts(issue).filter((c) => c.includes("exactly once"))).toHaveLength(1);
    expect(await jiraNotes(t.id)).toEqual([]);
    const [row] = await h.ctx.db.select().from(externalComments).where(eq(externalComments.remoteIssueId, issue.id));
    expect(row).toMatchObject({ direction: "outbound", remoteCommentId: issue.comments[0]!.id });
  });

  it("retries a 500 and then succeeds", async () => {
    const { t, issue } = await escalated("Server error then success");
    const seen = h.fake.requests.length;
    h.fake.failNext({ status: 500, path: /\/comment$/, method: "POST", times: 2 });
    await reply(t.id, "Third time lucky.");
    await h.idle();
    expect(texts(issue).filter((c) => c.includes("Third time lucky"))).toHaveLength(1);
    expect(h.fake.requests.slice(seen).filter((r) => r.path.endsWith("/comment") && r.method === "POST").map((r) => r.status)).toEqual([500, 500, 201]);
  });

  it("keeps one broken ticket from blocking the others", async () => {
    const a = await escalated("Broken one");
    const b = await escalated("Healthy one");
    h.fake.failNext({ status: 400, path: new RegExp(`/issue/${a.issue.id}$`), method: "PUT", json: { errorMessages: ["The issue is archived."], errors: {} } });
    await updateTicket({ db: h.ctx.db, actor: h.agent.actor, ticketRef: a.t.id, change: { priority: "low" }, channel: "api" });
    await updateTicket({ db: h.ctx.db, actor: h.agent.actor, ticketRef: b.t.id, change: { priority: "low" }, channel: "api" });
    await h.idle();
    expect(b.issue.priorityId).toBe("4");
    expect(a.issue.priorityId).not.toBe("4");
    expect((await h.links(a.t.id))[0]!.lastError).toMatch(/The issue is archived/);
    expect((await h.links(b.t.id))[0]!.lastError).toBeNull();
    expect((await h.ctx.db.select().from(connections))[0]!.status).toBe("active");
  });

  it("pauses as mapping_invalid when Jira refuses a mapped field, and says which", async () => {
    const { t, issue } = await escalated("Field refused");
    h.fake.failNext({ status: 400, path: new RegExp(`/issue/${issue.id}$`), method: "PUT", json: { errorMessages: [], errors: { priority: "Priority with id '1' is not allowed in this project" } } });
    await updateTicket({ db: h.ctx.db, actor: h.agent.actor, ticketRef: t.id, change: { priority: "urgent" }, channel: "api" });
    await waitFor("the pause", async () => (await h.ctx.db.select().from(connections))[0]!.status === "mapping_invalid");
    const view = json<{ lastError: string }>(await call(h.ctx, h.admin, "GET", "/api/v1/connections/jira"));
    expect(view.lastError).toMatch(/Jira refused the fields \(400\).*priority: Priority with id '1' is not allowed/);
    // Fixed (here: the fault is gone), the test resumes it and the change goes through.
    expect(json<{ status: string }>(await call(h.ctx, h.admin, "POST", "/api/v1/connections/jira/test")).status).toBe("active");
    await waitFor("the priority in Jira", async () => issue.priorityId === "1");
  });

  it("marks the link \"Deleted in Jira\", with a history entry, when the issue is gone", async () => {
    const { t, issue } = await escalated("Deleted in Jira");
    h.fake.state.issues.splice(h.fake.state.issues.indexOf(issue), 1);
    await reply(t.id, "Anyone there?");
    await h.idle();
    expect((await h.links(t.id)).map((l) => l.lastError)).toEqual(["Deleted in Jira"]);
    expect(await h.eventTypes(t.id)).toContain("jira.issue_deleted");
    // Marked links are not synced: the next reply calls Jira for nothing.
    const calls = h.fake.apiCalls().length;
    await reply(t.id, "Still there?");
    await h.idle();
    expect(h.fake.apiCalls().length).toBe(calls);
  });

  it("pauses the connection when Jira refuses the credentials, tells admins, and resumes the work in order once fixed", async () => {
    const { t, issue } = await escalated("Paused and resumed");
    h.fake.failNext({ status: 401, path: /\/comment$/, method: "POST" });
    await reply(t.id, "First, while Jira refuses us.");
    await waitFor("the pause", async () => (await h.ctx.db.select().from(connections))[0]!.status === "auth_failed");
    await reply(t.id, "Second, while paused.");
    await updateTicket({ db: h.ctx.db, actor: h.agent.actor, ticketRef: t.id, change: { priority: "high" }, channel: "api" });
    await reply(t.id, "Third, while paused.", true);
    await h.idle();
    expect(issue.comments).toHaveLength(0);
    const view = json<{ status: string; lastError: string }>(await call(h.ctx, h.admin, "GET", "/api/v1/connections/jira"));
    expect(view.status).toBe("auth_failed");
    expect(view.lastError).toMatch(/Jira refused the credentials \(401\)/);
    expect((await h.notificationsOf(h.admin.id)).filter((n) => n.kind === "jira.connection_paused" && n.title.includes("(auth failed)"))).toHaveLength(1);
    // Agents see it on the link too, and cannot escalate meanwhile.
    expect((await h.links(t.id))[0]!.connectionStatus).toBe("auth_failed");

    const test = json<{ status: string; report: { ok: boolean } }>(await call(h.ctx, h.admin, "POST", "/api/v1/connections/jira/test"));
    expect(test).toMatchObject({ status: "active", report: { ok: true } });
    await waitFor("the paused work to reach Jira", async () => issue.comments.length === 3 && issue.priorityId === "2", 30_000);
    await h.idle();
    expect(texts(issue).map((c) => c.replace(/^.*\):\s*/s, ""))).toEqual(["First, while Jira refuses us.", "Second, while paused.", "Third, while paused."]);
    expect((await h.ctx.db.select({ p: tickets.priority }).from(tickets).where(eq(tickets.id, t.id)))[0]!.p).toBe("high");
  });
});
