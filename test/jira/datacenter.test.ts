import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { replyToTicket } from "../../src/commands/tickets/replyToTicket.js";
import { reconcileJob } from "../../src/connectors/jira/jobs/reconcileJob.js";
import type { JiraMappingInput } from "../../src/connectors/jira/mapping.js";
import { messages, tickets } from "../../src/db/schema/index.js";
import { enqueue } from "../../src/jobs/enqueue.js";
import { call, json } from "../helpers/testApp.js";
import { expectCleanFake } from "./helpers.js";
import { startHarness, WEBHOOK_SECRET, type Harness } from "./syncHarness.js";

const mapping = {
  customFields: [{ key: "notes", source: "customFields.notes", jiraField: "customfield_10003", type: "textarea" }],
  comments: { publicReplies: true, internalNotes: true, internalVia: "property" },
  status: { fromJira: [{ match: { categoryKey: "done" }, ticketStatus: "resolved" }], toJira: [] },
} satisfies JiraMappingInput;

describe("Jira Server/Data Center (REST v2, wiki markup, PAT)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ deployment: "datacenter", mapping });
    const res = await h.connect();
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ report: { ok: boolean } }>(res).report.ok).toBe(true);
  });
  afterAll(() => h.close());
  afterEach(async () => {
    await h.idle();
    expectCleanFake(h.fake);
  });

  it("escalates with a wiki-markup description over /rest/api/2 with the PAT", async () => {
    const t = await h.ticket({ subject: "DC escalation", description: "The **export** fails:\n\n- step one\n- step two" });
    const link = await h.escalate(t.id);
    const issue = h.fake.state.findIssue(link.remoteKey!)!;
    expect(typeof issue.description).toBe("string");
    expect(issue.description).toMatch(/\*export\*/);
    expect(issue.description).toMatch(/^- step one$/m);
    const calls = h.fake.apiCalls();
    expect(calls.every((r) => !r.path.startsWith("/rest/api/3"))).toBe(true);
    expect(calls.every((r) => r.headers.authorization === `Bearer ${h.fake.credentials.pat}`)).toBe(true);
    // The marker lookup searched through DC's /search.
    expect(h.fake.apiCalls("searchForIssuesUsingJqlPost").length).toBeGreaterThan(0);
  });

  it("comments both ways in wiki markup, notes as sd.public.comment internal", async () => {
    const t = await h.ticket({ subject: "DC comments" });
    const link = await h.escalate(t.id);
    const issue = h.fake.state.findIssue(link.remoteKey!)!;
    await replyToTicket({ db: h.ctx.db, actor: h.agent.actor, ticketRef: t.id, body: "Please try **again**.", isInternal: false, channel: "api" });
    await replyToTicket({ db: h.ctx.db, actor: h.agent.actor, ticketRef: t.id, body: "Internal: _legacy_ plan.", isInternal: true, channel: "api" });
    await h.idle();
    expect(issue.comments.map((c) => c.body)).toEqual([`*Aggie Agent* (${t.number}):\n\nPlease try *again*.`, `*Aggie Agent* (${t.number}):\n\nInternal: _legacy_ plan.`]);
    expect(issue.comments[1]!.properties.get("sd.public.comment")).toEqual({ internal: true });

    // A developer's comment, in wiki markup, arrives as an internal note in Markdown (DC has no JSM flag).
    const c = h.fake.state.newComment(issue, "Deployed *4.2.1*; see {{release-notes.txt}}.", true, new Map());
    c.author = h.fake.state.users[1]!;
    await h.deliver(h.fake.commentDelivery("comment_created", issue.key, c.id, { secret: WEBHOOK_SECRET }));
    // Our own comments echo back too, and stay ours.
    await h.deliver(h.fake.commentDelivery("comment_created", issue.key, issue.comments[0]!.id, { secret: WEBHOOK_SECRET }));
    await h.idle();
    const notes = (await h.ctx.db.select().from(messages).where(eq(messages.ticketId, t.id))).filter((m) => m.channel === "jira");
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ isInternal: true, body: `_Ana Developer in Jira (${issue.key}):_\n\nDeployed **4.2.1**; see \`release-notes.txt\`.` });
  });

  it("follows a status change found by the reconcile poll over /rest/api/2/search", async () => {
    const t = await h.ticket({ subject: "DC status" });
    const link = await h.escalate(t.id);
    const issue = h.fake.state.findIssue(link.remoteKey!)!;
    issue.statusId = "10001";
    h.fake.state.touch(issue);
    const connectionId = await h.connectionId();
    await h.ctx.db.transaction((tx) => enqueue(tx, reconcileJob, { connectionId }, { queue: h.queue }));
    await h.idle();
    expect((await h.ctx.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, t.id)))[0]!.status).toBe("resolved");
    const search = h.fake.apiCalls("searchForIssuesUsingJqlPost").at(-1)!;
    expect(search.path).toBe("/rest/api/2/search");
    expect((search.json as { jql: string }).jql).toMatch(/updated >= /);
    expect((await call(h.ctx, h.agent, "GET", `/api/v1/tickets/${t.id}/links`)).json()).toMatchObject({ items: [{ remoteStatus: "Done", lastError: null }] });
  });
});
