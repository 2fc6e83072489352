import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createJiraClient, type JiraClient } from "../../src/connectors/jira/client.js";
import { JiraError } from "../../src/connectors/jira/errors.js";
import { buildCreateIssuePayload, markerFor, parseJiraMapping, type TicketForJira } from "../../src/connectors/jira/mapping.js";
import { jiraBodyToMarkdown } from "../../src/connectors/jira/text.js";
import { viewIssue } from "../../src/connectors/jira/types.js";
import { isAdf } from "./fake/adf.js";
import { startFakeJira, type FakeJira } from "./fake/fakeJira.js";
import { connectionFor, expectCleanFake } from "./helpers.js";

const mapping = parseJiraMapping({
  customFields: [
    { key: "accountAddress", source: "customFields.accountAddress", jiraField: "customfield_10001", type: "text" },
    { key: "category", source: "category", jiraField: "customfield_10002", type: "select", options: { billing: "Billing", technical: "Technical" } },
    { key: "notes", source: "customFields.notes", jiraField: "customfield_10003", type: "textarea" },
  ],
  labels: { static: ["from-switchboard"], fromTags: true },
});

let ticketSeq = 0;
function ticket(overrides: Partial<TicketForJira> = {}): TicketForJira {
  ticketSeq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(ticketSeq).padStart(12, "0")}`,
    number: `SUP-${String(ticketSeq).padStart(5, "0")}`,
    subject: "Printer on fire",
    description: "The printer is **on fire**.\n\n- smoke\n- flames",
    priority: "high",
    status: "open",
    category: "billing",
    tags: ["vip customer"],
    customFields: { accountAddress: "1 Main St, Cape Town", notes: "Call *before* noon" },
    ...overrides,
  };
}

async function expectJiraError(promise: Promise<unknown>, kind: JiraError["kind"]): Promise<JiraError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JiraError);
  expect((error as JiraError).kind).toBe(kind);
  return error as JiraError;
}

describe.each([
  { deployment: "cloud" as const, auth: "api_token" as const },
  { deployment: "datacenter" as const, auth: "pat" as const },
  { deployment: "datacenter" as const, auth: "basic" as const },
])("Jira client against the fake ($deployment, $auth)", ({ deployment, auth }) => {
  let fake: FakeJira;
  let jira: JiraClient;
  const api = deployment === "cloud" ? "/rest/api/3" : "/rest/api/2";

  beforeAll(async () => {
    fake = await startFakeJira({ deployment });
    jira = createJiraClient(connectionFor(fake, auth));
  });
  afterAll(() => fake.close());
  afterEach(() => expectCleanFake(fake));

  it("reads server info, the current user and the project with its issue types", async () => {
    const info = await jira.serverInfo();
    expect(info.deploymentType).toBe(deployment === "cloud" ? "Cloud" : "Server");
    const me = await jira.myself();
    if (deployment === "cloud") expect(me.accountId).toBe("5b10ac8d82e05b22cc7d4ef5");
    else expect(me.name).toBe("syncbot");
    const project = await jira.getProject("SUP");
    expect(project.issueTypes?.map((t) => t.name)).toEqual(["Task", "Bug"]);
    expect((await jira.listIssueTypes("SUP")).map((t) => t.id)).toEqual(["10001", "10002"]);
    const fields = await jira.listCreateFields("SUP", "10001");
    expect(fields.map((f) => f.fieldId)).toContain("customfield_10002");
    const authHeader = fake.apiCalls("getCurrentUser")[0]!.headers.authorization as string;
    expect(authHeader.startsWith(auth === "pat" ? "Bearer " : "Basic ")).toBe(true);
    await expectJiraError(jira.getProject("NOPE"), "not_found");
  });

  it("creates an issue with the description in the deployment's format, custom fields, labels and the marker", async () => {
    const t = ticket();
    const created = await jira.createIssue(buildCreateIssuePayload(t, mapping, { deployment, projectKey: "SUP", issueType: "Task" }));
    expect(created.key).toMatch(/^SUP-\d+$/);
    const sent = fake.apiCalls("createIssue").at(-1)!;
    expect(sent.path).toBe(`${api}/issue`);
    const fields = (sent.json as { fields: Record<string, unknown> }).fields;
    if (deployment === "cloud") {
      expect(isAdf(fields.description)).toBe(true);
      expect(isAdf(fields.customfield_10003)).toBe(true);
    } else {
      expect(fields.description).toBe("The printer is *on fire*.\n\n- smoke\n- flames");
      expect(fields.customfield_10003).toBe("Call _before_ noon");
    }
    expect(fields.customfield_10001).toBe("1 Main St, Cape Town");
    expect(fields.customfield_10002).toEqual({ value: "Billing" });

    const issue = viewIssue(await jira.getIssue(created.key, { fields: ["summary", "description", "status", "priority", "labels", "updated", "customfield_10002"], properties: ["switchboard"] }));
    expect(issue.summary).toBe("Printer on fire");
    expect(jiraBodyToMarkdown(issue.description)).toContain("on fire");
    expect(issue.priority).toEqual({ id: "2", name: "High" });
    expect(issue.status).toEqual({ id: "10000", name: "To Do", categoryKey: "new" });
    expect(issue.labels).toEqual(expect.arrayContaining(["from-switchboard", "vip_customer", `switchboard-${t.id}`]));
    expect(issue.properties.switchboard).toEqual({ ticketId: t.id, ticketNumber: t.number });
    expect(issue.updated).toBeInstanceOf(Date);
    expect((issue.fields.customfield_10002 as { value: string }).value).toBe("Billing");
  });

  it("edits an issue's summary and description", async () => {
    const { key } = await jira.createIssue(buildCreateIssuePayload(ticket(), mapping, { deployment, projectKey: "SUP", issueType: "Task" }));
    await jira.editIssue(key, { summary: "Printer extinguished", description: jira.markdownFor("Now *fine*") });
    const issue = viewIssue(await jira.getIssue(key, { fields: ["summary", "description"] }));
    expect(issue.summary).toBe("Printer extinguished");
    expect(jiraBodyToMarkdown(issue.description)).toBe("Now *fine*");
  });

  it("adds, lists, updates and deletes comments; internal ones via sd.public.comment and JSM's servicedeskapi", async () => {
    const { key } = await jira.createIssue(buildCreateIssuePayload(ticket(), mapping, { deployment, projectKey: "SUP", issueType: "Task" }));
    const pub = await jira.addComment(key, { markdown: "Customer says **hi**" });
    const internal = await jira.addComment(key, { markdown: "Internal: check logs", internal: true });
    const sentPublic = fake.apiCalls("addComment").at(-2)!.json as { body: unknown; properties?: unknown };
    const sentInternal = fake.apiCalls("addComment").at(-1)!.json as { body: unknown; properties?: unknown };
    if (deployment === "cloud") expect(isAdf(sentPublic.body)).toBe(true);
    else expect(sentPublic.body).toBe("Customer says *hi*");
    expect(sentPublic.properties).toBeUndefined();
    expect(sentInternal.properties).toEqual([{ key: "sd.public.comment", value: { internal: true } }]);
    if (deployment === "cloud") {
      expect(pub.jsdPublic).toBe(true);
      expect(internal.jsdPublic).toBe(false);
    }
    const sd = await jira.addServiceDeskComment(key, { markdown: "Note for **agents**", public: false });
    expect(sd.public).toBe(false);
    expect(fake.apiCalls("createRequestComment").at(-1)!.json).toEqual({ body: "Note for *agents*", public: false });

    const updated = await jira.updateComment(key, pub.id, "Customer says *bye*");
    expect(jiraBodyToMarkdown(updated.body)).toBe("Customer says *bye*");
    const comments = await jira.listComments(key);
    expect(comments.map((c) => c.id)).toEqual([pub.id, internal.id, sd.id]);
    await jira.deleteComment(key, internal.id);
    expect((await jira.listComments(key)).map((c) => c.id)).toEqual([pub.id, sd.id]);
    await expectJiraError(jira.deleteComment(key, internal.id), "not_found");
  });

  it("lists transitions and moves an issue by status category and by status id", async () => {
    const { key } = await jira.createIssue(buildCreateIssuePayload(ticket(), mapping, { deployment, projectKey: "SUP", issueType: "Task" }));
    const transitions = await jira.getTransitions(key);
    expect(transitions.map((t) => t.to?.statusCategory?.key)).toEqual(expect.arrayContaining(["indeterminate", "done"]));
    const done = await jira.transitionTo(key, { categoryKey: "done" });
    expect(done?.id).toBe("31");
    expect(fake.apiCalls("doTransition").at(-1)!.json).toEqual({ transition: { id: "31" } });
    expect(viewIssue(await jira.getIssue(key, { fields: ["status"] })).status?.categoryKey).toBe("done");
    expect(await jira.transitionTo(key, { statusId: "10001" })).toBeNull();
    await jira.transitionTo(key, { statusId: "3" });
    expect(viewIssue(await jira.getIssue(key, { fields: ["status"] })).status?.id).toBe("3");
    await expectJiraError(jira.transition(key, "999"), "bad_request");
  });

  it("uploads an attachment as multipart `file` with X-Atlassian-Token: no-check", async () => {
    const { key } = await jira.createIssue(buildCreateIssuePayload(ticket(), mapping, { deployment, projectKey: "SUP", issueType: "Task" }));
    const data = new TextEncoder().encode("line one\nline two\n");
    const [attachment] = await jira.addAttachment(key, { filename: "log.txt", contentType: "text/plain", data });
    expect(attachment).toMatchObject({ filename: "log.txt", size: data.byteLength, mimeType: "text/plain" });
    const call = fake.apiCalls("addAttachment").at(-1)!;
    expect(call.headers["x-atlassian-token"]).toBe("no-check");
    expect(String(call.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    expect(call.files).toEqual([{ name: "file", filename: "log.txt", type: "text/plain", size: data.byteLength }]);
    expect(Buffer.from(fake.state.findIssue(key)!.attachments[0]!.bytes).toString()).toBe("line one\nline two\n");
  });

  it("sets and reads issue properties, and finds an issue again by its marker", async () => {
    const t = ticket();
    const { key } = await jira.createIssue(buildCreateIssuePayload(t, mapping, { deployment, projectKey: "SUP", issueType: "Task" }));
    await jira.setIssueProperty(key, "switchboard.sync", { lastPushedAt: "2026-12-01T10:00:00Z" });
    expect(await jira.getIssueProperty(key, "switchboard.sync")).toEqual({ found: true, value: { lastPushedAt: "2026-12-01T10:00:00Z" } });
    expect(await jira.getIssueProperty(key, "nothing.here")).toEqual({ found: false });

    const found = await jira.findIssueByMarker(markerFor(t.id, mapping, "SUP"));
    expect(found?.key).toBe(key);
    const search = fake.apiCalls().at(-1)!;
    expect(search.path).toBe(deployment === "cloud" ? "/rest/api/3/search/jql" : "/rest/api/2/search");
    expect((search.json as { jql: string }).jql).toBe(`project = "SUP" AND labels = "switchboard-${t.id}" ORDER BY created ASC`);
    expect(await jira.findIssueByMarker(markerFor("00000000-0000-4000-8000-ffffffffffff", mapping, "SUP"))).toBeNull();
  });

  it("searches with key in (…) and pages through results", async () => {
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) keys.push((await jira.createIssue(buildCreateIssuePayload(ticket({ subject: `Paged ${i}` }), mapping, { deployment, projectKey: "SUP", issueType: "Task" }))).key);
    const jql = `project = SUP AND key in (${keys.join(", ")}) ORDER BY created ASC`;
    const first = await jira.search({ jql, fields: ["summary"], maxResults: 2 });
    expect(first.issues.map((i) => i.key)).toEqual(keys.slice(0, 2));
    expect(first.nextPageToken).not.toBeNull();
    const second = await jira.search({ jql, fields: ["summary"], maxResults: 2, pageToken: first.nextPageToken });
    expect(second.issues.map((i) => viewIssue(i).summary)).toEqual(["Paged 2"]);
    expect(second.nextPageToken).toBeNull();
    await expectJiraError(jira.search({ jql: "project = SUP AND nonsense ~~ 1", fields: ["summary"] }), "bad_request");
  });

  it("classifies 429 with Retry-After as rate_limited and stops calling until it has passed", async () => {
    let clock = Date.parse("2026-12-01T10:00:00Z");
    const timed = createJiraClient(connectionFor(fake, auth), { now: () => new Date(clock) });
    fake.failNext({ status: 429, retryAfter: 7 });
    const error = await expectJiraError(timed.myself(), "rate_limited");
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.retryable).toBe(true);
    const calls = fake.requests.length;
    const again = await expectJiraError(timed.myself(), "rate_limited");
    expect(again.retryAfterSeconds).toBe(7);
    expect(fake.requests.length).toBe(calls);
    clock += 7_000;
    expect((await timed.myself()).displayName).toBe("Switchboard Sync");
  });

  it("reads X-RateLimit-Reset when Retry-After is absent", async () => {
    const now = Date.parse("2026-12-01T10:00:00Z");
    const timed = createJiraClient(connectionFor(fake, auth), { now: () => new Date(now) });
    fake.failNext({ status: 429, headers: { "x-ratelimit-reset": "2026-12-01T10:01Z" } });
    expect((await expectJiraError(timed.myself(), "rate_limited")).retryAfterSeconds).toBe(60);
  });

  it("classifies 401 as auth_failed, 404 as not_found, 5xx as remote_down and field errors as mapping_invalid", async () => {
    fake.failNext({ status: 401 });
    const auth401 = await expectJiraError(jira.myself(), "auth_failed");
    expect(auth401.pausesConnection).toBe(true);
    await expectJiraError(jira.getIssue("SUP-99999"), "not_found");
    let clock = Date.parse("2026-12-01T10:00:00Z");
    const timed = createJiraClient(connectionFor(fake, auth), { now: () => new Date(clock) });
    fake.failNext({ status: 503, retryAfter: 30 });
    const down = await expectJiraError(timed.serverInfo(), "remote_down");
    expect(down.retryAfterSeconds).toBe(30);
    const calls = fake.requests.length;
    expect((await expectJiraError(timed.serverInfo(), "remote_down")).retryAfterSeconds).toBe(30);
    expect(fake.requests.length).toBe(calls);
    clock += 30_000;
    expect((await timed.serverInfo()).serverTitle).toBe("Fake Jira");
    fake.failNext({ status: 500 });
    await expectJiraError(jira.serverInfo(), "remote_down");
    expect((await jira.serverInfo()).serverTitle).toBe("Fake Jira");

    const bad = buildCreateIssuePayload(ticket(), mapping, { deployment, projectKey: "SUP", issueType: "Task" });
    bad.fields.customfield_99999 = "x";
    const invalid = await expectJiraError(jira.createIssue(bad), "mapping_invalid");
    expect(invalid.fieldErrors.customfield_99999).toMatch(/not on the appropriate screen/);
    expect(invalid.message).toMatch(/customfield_99999/);
  });

  it("refuses wrong credentials with auth_failed", async () => {
    const wrong = createJiraClient(
      connectionFor(fake, auth, {
        auth: auth === "api_token" ? { kind: "api_token", email: "sync@example.com", apiToken: "wrong" } : auth === "pat" ? { kind: "pat", token: "wrong" } : { kind: "basic", username: "syncbot", password: "wrong" },
      }),
    );
    await expectJiraError(wrong.myself(), "auth_failed");
  });
});

describe("Jira client network guards", () => {
  it("refuses a loopback Jira unless private networks are allowed, without sending anything", async () => {
    const fake = await startFakeJira({ deployment: "cloud" });
    try {
      const jira = createJiraClient(connectionFor(fake, "api_token", { allowPrivateNetwork: false }));
      await expectJiraError(jira.myself(), "config_invalid");
      expect(fake.requests).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it("reports a refused connection, a timeout and a cancelled call as remote_down", async () => {
    const fake = await startFakeJira({ deployment: "cloud" });
    const connection = connectionFor(fake);
    await fake.close();
    await expectJiraError(createJiraClient(connection).myself(), "remote_down");

    // A server that accepts and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const slow = createJiraClient({ ...connection, baseUrl, timeoutMs: 1000 });
      expect((await expectJiraError(slow.myself(), "remote_down")).message).toMatch(/no answer within 1000 ms/);
      const controller = new AbortController();
      const cancelled = slow.myself({ signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      expect((await expectJiraError(cancelled, "remote_down")).message).toMatch(/cancelled/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
