import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { reconcileJob } from "../../src/connectors/jira/jobs/reconcileJob.js";
import type { JiraMappingInput } from "../../src/connectors/jira/mapping.js";
import { markdownToAdfDocument } from "../../src/connectors/jira/text.js";
import { connections, messages, tickets } from "../../src/db/schema/index.js";
import { enqueue } from "../../src/jobs/enqueue.js";
import { useConnectedHarness, type Harness } from "./syncHarness.js";

const mapping = { status: { fromJira: [{ match: { categoryKey: "done" }, ticketStatus: "resolved" }], toJira: [] } } satisfies JiraMappingInput;

describe("the reconcile poll", () => {
  let h: Harness;
  useConnectedHarness({ mapping }, (started) => (h = started));

  const reconcile = async () => {
    const connectionId = await h.connectionId();
    await h.ctx.db.transaction((tx) => enqueue(tx, reconcileJob, { connectionId }, { queue: h.queue }));
    await h.idle();
  };
  const connection = async () => (await h.ctx.db.select().from(connections))[0]!;

  it("finds a change whose webhook was lost, by updated-since with explicit fields, and moves the watermark", async () => {
    const t = await h.ticket({ subject: "Webhook lost" });
    const link = await h.escalate(t.id);
    const issue = h.fake.state.findIssue(link.remoteKey!)!;
    const other = await h.ticket({ subject: "Untouched" });
    await h.escalate(other.id);

    // Jira resolves the issue and a developer comments; no webhook ever arrives.
    issue.statusId = "10001";
    const c = h.fake.state.newComment(issue, markdownToAdfDocument("Fixed in 4.2.1."), false, new Map());
    c.author = h.fake.state.users[1]!;
    const before = Date.now();
    await reconcile();

    expect((await h.ctx.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, t.id)))[0]!.status).toBe("resolved");
    const notes = (await h.ctx.db.select().from(messages).where(eq(messages.ticketId, t.id))).filter((m) => m.channel === "jira");
    expect(notes.map((m) => m.body)).toEqual([`_Ana Developer in Jira (${issue.key}):_\n\nFixed in 4.2.1.`]);
    expect((await h.ctx.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, other.id)))[0]!.status).toBe("open");

    const search = h.fake.apiCalls("searchAndReconsileIssuesUsingJqlPost").at(-1)!;
    const body = search.json as { jql: string; fields: string[] };
    expect(body.jql).toMatch(/^project in \("SUP"\) AND updated >= "\d{4}-\d{2}-\d{2} \d{2}:\d{2}" ORDER BY updated ASC$/);
    expect(body.fields).toEqual(expect.arrayContaining(["summary", "status", "priority", "updated"]));
    const first = await connection();
    expect(first.syncedUntil!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(first.lastSyncAt).not.toBeNull();

    // The next poll starts a minute before the watermark, and finds nothing new to do.
    const eventsBefore = await h.eventTypes(t.id);
    await reconcile();
    const next = (h.fake.apiCalls("searchAndReconsileIssuesUsingJqlPost").at(-1)!.json as { jql: string }).jql;
    const since = /updated >= "([^"]+)"/.exec(next)![1]!;
    const watermark = first.syncedUntil!.getTime();
    expect(Date.parse(`${since.replace(" ", "T")}:00Z`)).toBeLessThanOrEqual(watermark - 60_000);
    expect(Date.parse(`${since.replace(" ", "T")}:00Z`)).toBeGreaterThan(watermark - 3 * 60_000);
    expect(await h.eventTypes(t.id)).toEqual(eventsBefore);
  });

  it("keeps the watermark when an issue could not be synced, so it is looked at again", async () => {
    const t = await h.ticket({ subject: "Sync fails once" });
    const link = await h.escalate(t.id);
    const issue = h.fake.state.findIssue(link.remoteKey!)!;
    issue.statusId = "10001";
    h.fake.state.touch(issue);
    const watermark = (await connection()).syncedUntil;
    h.fake.failNext({ status: 500, path: new RegExp(`/issue/${issue.id}/comment$`), times: 1 });
    await reconcile();
    expect((await connection()).syncedUntil).toEqual(watermark);
    expect((await h.links(t.id))[0]!.lastError).toMatch(/500/);
    await reconcile();
    expect((await h.ctx.db.select({ status: tickets.status }).from(tickets).where(eq(tickets.id, t.id)))[0]!.status).toBe("resolved");
    expect((await connection()).syncedUntil!.getTime()).toBeGreaterThan(watermark!.getTime());
    expect((await h.links(t.id))[0]!.lastError).toBeNull();
  });
});
