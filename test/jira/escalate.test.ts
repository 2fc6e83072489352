import type { JiraMappingInput } from "../../src/connectors/jira/mapping.js";
import { describe, expect, it } from "vitest";
import { escalateJob } from "../../src/connectors/jira/jobs/escalateJob.js";
import type { JobContext } from "../../src/jobs/defineJob.js";
import { runStep } from "../../src/jobs/runStep.js";
import { updateTicket } from "../../src/commands/tickets/updateTicket.js";
import { call, json } from "../helpers/testApp.js";
import { silentLog, waitFor } from "../jobs/fixtures/jobTesting.js";
import { tinyPng } from "../fixtures/files.js";
import { isAdf } from "./fake/adf.js";
import { useConnectedHarness, type Harness, type LinkJson } from "./syncHarness.js";

const mapping = {
  customFields: [
    { key: "accountAddress", source: "customFields.accountAddress", jiraField: "customfield_10001", type: "text" },
    { key: "category", source: "category", jiraField: "customfield_10002", type: "select", options: { billing: "Billing", technical: "Technical", general: "Other" } },
    { key: "seats", source: "customFields.seats", jiraField: "customfield_10004", type: "number" },
  ],
  labels: { static: ["from-switchboard"], fromTags: false },
} satisfies JiraMappingInput;

describe("escalating tickets to Jira Cloud", () => {
  let h: Harness;
  useConnectedHarness({ mapping }, (started) => (h = started));

  const issuesFor = (ticketId: string) => h.fake.state.issues.filter((i) => i.labels.includes(`switchboard-${ticketId}`));

  it("creates the issue with summary, ADF description, priority, custom fields, labels and public files, then links it", async () => {
    const t = await h.ticket({ subject: "Invoice PDF is blank", description: "The **March** invoice opens blank.\n\n- Chrome\n- Firefox", priority: "high", category: "billing" });
    await updateTicket({ db: h.ctx.db, actor: h.agent.actor, ticketRef: t.id, change: { customFields: { accountAddress: "1 Main St, Cape Town", seats: 25 } }, channel: "api" });
    await h.attach(t.id, h.customer, "screenshot.png", tinyPng());
    await h.attach(t.id, h.agent, "internal-notes.txt", Buffer.from("staff only: customer is on the legacy plan\n"), true);

    const link = await h.escalate(t.id);
    const [issue] = issuesFor(t.id);
    expect(issuesFor(t.id)).toHaveLength(1);
    expect(issue!.summary).toBe("Invoice PDF is blank");
    expect(isAdf(issue!.description)).toBe(true);
    expect(JSON.stringify(issue!.description)).toContain("March");
    expect(issue!.priorityId).toBe("2");
    expect(issue!.custom).toMatchObject({ customfield_10001: "1 Main St, Cape Town", customfield_10002: { value: "Billing" }, customfield_10004: 25 });
    expect(issue!.labels).toEqual(expect.arrayContaining(["from-switchboard", `switchboard-${t.id}`]));
    expect(issue!.properties.get("switchboard")).toEqual({ ticketId: t.id, ticketNumber: t.number });
    // Only the public file; the internal one never leaves.
    expect(issue!.attachments.map((a) => a.filename)).toEqual(["screenshot.png"]);
    expect(Buffer.from(issue!.attachments[0]!.bytes)).toEqual(tinyPng());
    const upload = h.fake.apiCalls("addAttachment").at(-1)!;
    expect(upload.headers["x-atlassian-token"]).toBe("no-check");
    expect(upload.files).toEqual([{ name: "file", filename: "screenshot.png", type: "image/png", size: tinyPng().length }]);

    expect(link).toMatchObject<Partial<LinkJson>>({ system: "jira", remoteId: issue!.id, remoteKey: issue!.key, remoteUrl: `${h.fake.url}/browse/${issue!.key}`, remoteStatus: "To Do", lastError: null, connectionStatus: "active" });
    expect(link.lastSyncedAt).not.toBeNull();
    expect(await h.eventTypes(t.id)).toEqual(expect.arrayContaining(["jira.escalation_requested", "jira.linked"]));

    // The requester's name and address never reach Jira.
    for (const r of h.fake.requests) expect(JSON.stringify(r.json ?? "")).not.toMatch(new RegExp(`${h.customer.email}|Carla`));

    // A second escalation is refused; customers cannot escalate or see links.
    expect((await call(h.ctx, h.agent, "POST", `/api/v1/tickets/${t.id}/jira`)).statusCode).toBe(409);
    expect((await call(h.ctx, h.customer, "POST", `/api/v1/tickets/${t.id}/jira`)).statusCode).toBe(403);
    expect((await call(h.ctx, h.customer, "GET", `/api/v1/tickets/${t.id}/links`)).statusCode).toBe(403);
  });

  it("refuses a second escalation while the first is still running", async () => {
    const t = await h.ticket({ subject: "Double click" });
    const [first, second] = await Promise.all([call(h.ctx, h.agent, "POST", `/api/v1/tickets/${t.id}/jira`), call(h.ctx, h.agent, "POST", `/api/v1/tickets/${t.id}/jira`)]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([202, 409]);
    await h.idle();
    expect(issuesFor(t.id)).toHaveLength(1);
  });

  it("a failure after the issue was created retries without creating a second issue", async () => {
    const t = await h.ticket({ subject: "Upload fails after create" });
    await h.attach(t.id, h.customer, "a.png", tinyPng([1, 2, 3]));
    h.fake.failNext({ status: 500, path: /\/attachments$/ });
    const link = await h.escalate(t.id);
    expect(issuesFor(t.id)).toHaveLength(1);
    expect(h.fake.apiCalls("createIssue").filter((r) => JSON.stringify(r.json).includes(t.id))).toHaveLength(1);
    expect(issuesFor(t.id)[0]!.attachments).toHaveLength(1);
    expect(link.remoteKey).toBe(issuesFor(t.id)[0]!.key);
  });

  it("a create whose answer was lost is found by its marker on the retry, not created again", async () => {
    const t = await h.ticket({ subject: "Lost answer on create" });
    h.fake.failNext({ status: 504, path: /^\/rest\/api\/3\/issue$/, method: "POST", takesEffect: true });
    await h.escalate(t.id);
    expect(issuesFor(t.id)).toHaveLength(1);
    expect(h.fake.apiCalls("createIssue").filter((r) => JSON.stringify(r.json).includes(t.id))).toHaveLength(1);
    expect(h.fake.apiCalls("searchAndReconsileIssuesUsingJqlPost").some((r) => JSON.stringify(r.json).includes(`switchboard-${t.id}`))).toBe(true);
  });

  it("a process killed between 'issue created' and 'link stored' leaves one issue after the retry", async () => {
    const t = await h.ticket({ subject: "Killed after create" });
    const connectionId = await h.connectionId();
    const rootId = crypto.randomUUID();
    const ctx = (killAfterCreate: boolean): JobContext => ({
      jobId: rootId,
      rootId,
      attempt: killAfterCreate ? 1 : 2,
      name: escalateJob.name,
      db: h.ctx.db,
      log: silentLog,
      signal: new AbortController().signal,
      async step(key, fn, options) {
        if (killAfterCreate && key === "create-issue") {
          // The remote create happens; the process dies before the step's record is written.
          await fn({ db: h.ctx.db, idempotencyKey: `${rootId}:${key}` });
          throw new Error("SIGKILL");
        }
        return runStep(h.ctx.db, rootId, key, fn, options);
      },
    });
    await expect(escalateJob.handler({ ticketId: t.id, connectionId }, ctx(true))).rejects.toThrow("SIGKILL");
    expect(issuesFor(t.id)).toHaveLength(1);
    expect(await h.links(t.id)).toHaveLength(0);
    await escalateJob.handler({ ticketId: t.id, connectionId }, ctx(false));
    expect(issuesFor(t.id)).toHaveLength(1);
    expect((await h.links(t.id))[0]!.remoteKey).toBe(issuesFor(t.id)[0]!.key);
  });

  it("waits out a 429 for its Retry-After, then creates exactly one issue", async () => {
    const t = await h.ticket({ subject: "Rate limited create" });
    h.fake.failNext({ status: 429, retryAfter: 2, path: /^\/rest\/api\/3\/(issue|search\/jql)$/ });
    const started = Date.now();
    await h.escalate(t.id);
    const calls = h.fake.requests.filter((r) => r.path === "/rest/api/3/search/jql" || (r.path === "/rest/api/3/issue" && r.method === "POST"));
    const limited = calls.find((r) => r.status === 429)!;
    const after = calls.slice(calls.indexOf(limited) + 1);
    expect(after.length).toBeGreaterThan(0);
    // Nothing reached Jira again before Retry-After had passed (the queue may retry sooner; the
    // transport's cool-down stops those attempts before they call).
    expect(after[0]!.at - limited.at).toBeGreaterThanOrEqual(1950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(issuesFor(t.id)).toHaveLength(1);
  });

  it("links existing issues, many tickets to one, and lists them", async () => {
    const existing = h.fake.state.plainIssue("Known bug: exports time out");
    const a = await h.ticket({ subject: "Export times out" });
    const b = await h.ticket({ subject: "CSV export never finishes" });
    for (const t of [a, b]) {
      const res = await call(h.ctx, h.agent, "POST", `/api/v1/tickets/${t.number}/jira/link`, { key: existing.key.toLowerCase() });
      expect(res.statusCode, res.body).toBe(201);
      expect(json<LinkJson>(res)).toMatchObject({ system: "jira", remoteKey: existing.key, remoteStatus: "To Do", remoteId: existing.id });
    }
    expect((await h.links(a.id)).map((l) => l.remoteKey)).toEqual([existing.key]);
    expect((await h.links(b.id)).map((l) => l.remoteKey)).toEqual([existing.key]);
    // Linking neither rewrites the shared issue nor the tickets.
    expect(existing.summary).toBe("Known bug: exports time out");
    expect(h.fake.apiCalls("editIssue")).toHaveLength(0);
    expect(await h.eventTypes(a.id)).toContain("jira.linked");

    expect((await call(h.ctx, h.agent, "POST", `/api/v1/tickets/${a.id}/jira/link`, { key: existing.key })).statusCode).toBe(409);
    const missing = await call(h.ctx, h.agent, "POST", `/api/v1/tickets/${a.id}/jira/link`, { key: "SUP-9999" });
    expect(missing.statusCode).toBe(422);
    expect(json<{ detail: string }>(missing).detail).toMatch(/SUP-9999 does not exist in Jira/);
    expect((await call(h.ctx, h.agent, "POST", `/api/v1/tickets/${a.id}/jira/link`, { key: "not a key" })).statusCode).toBe(422);

    const [linkA] = await h.links(a.id);
    expect((await call(h.ctx, h.agent, "DELETE", `/api/v1/tickets/${a.id}/links/${linkA!.id}`)).statusCode).toBe(204);
    expect(await h.links(a.id)).toHaveLength(0);
    expect(await h.eventTypes(a.id)).toContain("jira.unlinked");
    expect(await h.links(b.id)).toHaveLength(1);
  });

  it("refuses to escalate while the connection is paused, saying why", async () => {
    const { connections } = await import("../../src/db/schema/index.js");
    await h.ctx.db.update(connections).set({ status: "auth_failed", lastError: "Jira refused the credentials (401)" });
    const t = await h.ticket();
    const res = await call(h.ctx, h.agent, "POST", `/api/v1/tickets/${t.id}/jira`);
    expect(res.statusCode).toBe(409);
    expect(json<{ detail: string }>(res).detail).toMatch(/auth failed: Jira refused the credentials/);
    await h.ctx.db.update(connections).set({ status: "active", lastError: null });
    await waitFor("nothing queued", async () => true);
  });
});
