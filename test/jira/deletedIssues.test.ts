import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { replyToTicket } from "../../src/commands/tickets/replyToTicket.js";
import { jiraSettingsFrom } from "../../src/connectors/jira/jiraSettings.js";
import { runDeletedIssuesPass } from "../../src/connectors/jira/jobs/findDeletedJob.js";
import { messages } from "../../src/db/schema/index.js";
import { call, json } from "../helpers/testApp.js";
import { silentLog } from "../jobs/fixtures/jobTesting.js";
import { useConnectedHarness, WEBHOOK_SECRET, type Harness, type LinkJson } from "./syncHarness.js";

describe("the full pass for issues deleted in Jira", () => {
  let h: Harness;
  useConnectedHarness({}, (started) => (h = started));

  const pass = async () => (await runDeletedIssuesPass(h.ctx.db, { connectionId: await h.connectionId(), settings: jiraSettingsFrom(h.ctx.config), log: silentLog })).get(await h.connectionId())!;
  const jiraNotes = async (ticketId: string) => (await h.ctx.db.select().from(messages).where(eq(messages.ticketId, ticketId))).filter((m) => m.channel === "jira").map((m) => ({ body: m.body, isInternal: m.isInternal }));

  it("finds an issue deleted without a webhook, marks its links once, and stops syncing them", async () => {
    const a = await h.ticket({ subject: "Deleted quietly" });
    const linkA = await h.escalate(a.id);
    const b = await h.ticket({ subject: "Shares the deleted issue" });
    const linked = await call(h.ctx, h.agent, "POST", `/api/v1/tickets/${b.id}/jira/link`, { key: linkA.remoteKey });
    expect(linked.statusCode, linked.body).toBe(201);
    const c = await h.ticket({ subject: "Still there" });
    const linkC = await h.escalate(c.id);
    const gone = h.fake.state.findIssue(linkA.remoteKey!)!;
    // Deleted in Jira; no webhook ever arrives.
    h.fake.state.issues.splice(h.fake.state.issues.indexOf(gone), 1);
    h.fake.reset();

    const first = await pass();
    expect(first).toMatchObject({ checked: 2, deleted: 1, marked: 2, outcome: "done" });
    // Looked up in one bulk call, the missing one confirmed by its own GET.
    const bulk = h.fake.apiCalls("bulkFetchIssues");
    expect(bulk).toHaveLength(1);
    expect((bulk[0]!.json as { issueIdsOrKeys: string[] }).issueIdsOrKeys.sort()).toEqual([gone.id, linkC.remoteId].sort());
    expect(h.fake.apiCalls("getIssue").map((r) => r.path)).toEqual([`/rest/api/3/issue/${gone.id}`]);

    const note = { body: `The Jira issue ${gone.key} was deleted in Jira (or the Jira user can no longer see it). This ticket no longer syncs with it; link another issue if the work moved.`, isInternal: true };
    for (const ticketId of [a.id, b.id]) {
      const [link] = await h.links(ticketId);
      expect(link).toMatchObject({ remoteKey: gone.key, lastError: "Deleted in Jira" });
      expect(await jiraNotes(ticketId)).toEqual([note]);
      expect((await h.eventTypes(ticketId)).filter((t) => t === "jira.issue_deleted")).toHaveLength(1);
    }
    expect((await h.links(c.id))[0]!.lastError).toBeNull();
    expect(await jiraNotes(c.id)).toEqual([]);

    // Twice: nothing more, and the marked issue is not even asked about.
    h.fake.reset();
    expect(await pass()).toMatchObject({ checked: 1, deleted: 0, marked: 0 });
    expect((h.fake.apiCalls("bulkFetchIssues")[0]!.json as { issueIdsOrKeys: string[] }).issueIdsOrKeys).toEqual([linkC.remoteId]);
    for (const ticketId of [a.id, b.id]) expect(await jiraNotes(ticketId)).toEqual([note]);

    // No longer synced: a reply and a late issue_deleted webhook reach nothing, and the links stay.
    await replyToTicket({ db: h.ctx.db, actor: h.agent.actor, ticketRef: a.id, body: "Anyone there?", isInternal: false, channel: "api" });
    const d = h.fake.sampleDelivery("jira-webhook-issue-deleted", { secret: WEBHOOK_SECRET });
    const body = JSON.parse(d.body) as { issue: { id: string; key: string } };
    body.issue.id = gone.id;
    body.issue.key = gone.key;
    const { signJiraBody } = await import("../../src/connectors/jira/webhook.js");
    const raw = JSON.stringify(body);
    expect((await h.deliver({ headers: { ...d.headers, "x-hub-signature": signJiraBody(raw, WEBHOOK_SECRET) }, body: raw })).statusCode).toBe(202);
    await h.idle();
    expect(h.fake.apiCalls().filter((r) => r.path.includes(`/issue/${gone.id}`) || r.path.includes(`/issue/${gone.key}`))).toEqual([]);
    expect((await h.links(a.id)).map((l: LinkJson) => l.lastError)).toEqual(["Deleted in Jira"]);
    expect(await h.eventTypes(a.id)).not.toContain("jira.unlinked");
    expect(json<{ items: unknown[] }>(await call(h.ctx, h.agent, "GET", `/api/v1/tickets/${b.id}/links`)).items).toHaveLength(1);
  });
});
