import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { markdownToAdfDocument } from "../../src/connectors/jira/text.js";
import { adfProblems } from "./fake/adf.js";
import { startFakeJira, type FakeJira } from "./fake/fakeJira.js";
import { parseJql } from "./fake/jql.js";
import { platformSpec, SpecDocument } from "./fake/openapi.js";

/**
 * The fake is only worth its tests if it refuses what Jira refuses. Each case here sends a
 * request the connector must never send and checks the answer and the recorded violation.
 */

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;
const adf = (text: string) => markdownToAdfDocument(text);

async function call(fake: FakeJira, method: string, path: string, init: { json?: unknown; headers?: Record<string, string>; body?: string | FormData; auth?: string | null } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  const auth = init.auth === undefined ? (fake.deployment === "cloud" ? basic(fake.credentials.email, fake.credentials.apiToken) : `Bearer ${fake.credentials.pat}`) : init.auth;
  if (auth) headers.authorization = auth;
  let body = init.body;
  if (init.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`${fake.url}${path}`, { method, headers, body });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // plain-text answers stay text
  }
  return { status: res.status, json };
}

const createBody = (description: unknown, extra: Record<string, unknown> = {}) => ({ fields: { project: { key: "SUP" }, issuetype: { name: "Task" }, summary: "Contract test", description, ...extra } });

describe("fake Jira Cloud refuses what Jira Cloud refuses", () => {
  let fake: FakeJira;
  let key: string;
  beforeAll(async () => {
    fake = await startFakeJira({ deployment: "cloud", oauth: { clientId: "c", clientSecret: "s" } });
    const created = await call(fake, "POST", "/rest/api/3/issue", { json: createBody(adf("ok")) });
    expect(created.status).toBe(201);
    key = (created.json as { key: string }).key;
    fake.reset();
  });
  afterAll(() => fake.close());
  afterEach(() => {
    expect(fake.responseViolations).toEqual([]);
    fake.reset();
  });

  it("a plain-string description on v3 (ADF required)", async () => {
    const res = await call(fake, "POST", "/rest/api/3/issue", { json: createBody("plain text") });
    expect(res.status).toBe(400);
    expect((res.json as { errors: Record<string, string> }).errors.description).toMatch(/Atlassian Document/);
    expect(fake.violations).toHaveLength(1);
  });

  it("malformed ADF: text directly under doc, empty text, unknown mark", async () => {
    const bad = { version: 1, type: "doc", content: [{ type: "text", text: "loose" }] };
    expect((await call(fake, "POST", "/rest/api/3/issue", { json: createBody(bad) })).status).toBe(400);
    const empty = { version: 1, type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "" }] }] };
    expect(adfProblems(empty)).toEqual(['$.content[0].content[0]: a text node needs non-empty "text"']);
    const mark = { version: 1, type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "blink" }] }] }] };
    expect(adfProblems(mark)).toEqual(["$.content[0].content[0].marks[0]: unknown mark"]);
  });

  it("missing required fields and fields not on the screen, as Jira's field errors", async () => {
    const res = await call(fake, "POST", "/rest/api/3/issue", { json: { fields: { project: { key: "SUP" }, customfield_123: "x" } } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      errorMessages: [],
      errors: {
        customfield_123: "Field 'customfield_123' cannot be set. It is not on the appropriate screen, or unknown.",
        issuetype: "Specify an issue type",
        summary: "You must specify a summary of the issue.",
      },
    });
    const option = await call(fake, "POST", "/rest/api/3/issue", { json: createBody(adf("x"), { customfield_10002: { value: "Nonsense" } }) });
    expect((option.json as { errors: Record<string, string> }).errors.customfield_10002).toBe("Option value 'Nonsense' is not valid");
    const label = await call(fake, "POST", "/rest/api/3/issue", { json: createBody(adf("x"), { labels: ["two words"] }) });
    expect((label.json as { errors: Record<string, string> }).errors.labels).toMatch(/contains spaces/);
    const user = await call(fake, "POST", "/rest/api/3/issue", { json: createBody(adf("x"), { assignee: { name: "dev.ana" } }) });
    expect(user.status).toBe(400);
    expect(fake.violations.some((v) => v.problems.some((p) => p.includes("accountId")))).toBe(true);
  });

  it("read-only properties, unknown body keys and undeclared query parameters (checked against the spec)", async () => {
    const readOnly = await call(fake, "POST", `/rest/api/3/issue/${key}/comment`, { json: { body: adf("x"), id: "1" } });
    expect(readOnly.status).toBe(400);
    expect(fake.violations.at(-1)!.problems).toEqual(["$.id: read-only, must not be sent"]);
    const unknownKey = await call(fake, "POST", "/rest/api/3/search/jql", { json: { jql: "project = SUP", startAt: 0 } });
    expect(unknownKey.status).toBe(400);
    expect(fake.violations.at(-1)!.problems).toEqual(["$.startAt: not a property of this schema"]);
    const query = await call(fake, "GET", `/rest/api/3/issue/${key}?feilds=summary`);
    expect(query.status).toBe(400);
    expect(fake.violations.at(-1)!.problems[0]).toMatch(/"feilds" is not declared for getIssue/);
    const wrongType = await call(fake, "GET", `/rest/api/3/issue/${key}?updateHistory=yes`);
    expect(wrongType.status).toBe(400);
  });

  it("attachments without X-Atlassian-Token: no-check, or under another part name", async () => {
    const form = () => {
      const f = new FormData();
      f.append("file", new Blob(["hello"], { type: "text/plain" }), "a.txt");
      return f;
    };
    const blocked = await call(fake, "POST", `/rest/api/3/issue/${key}/attachments`, { body: form() });
    expect(blocked).toEqual({ status: 403, json: "XSRF check failed" });
    const renamed = new FormData();
    renamed.append("attachment", new Blob(["hello"]), "a.txt");
    const wrongName = await call(fake, "POST", `/rest/api/3/issue/${key}/attachments`, { body: renamed, headers: { "x-atlassian-token": "no-check" } });
    expect(wrongName.status).toBe(400);
    const asJson = await call(fake, "POST", `/rest/api/3/issue/${key}/attachments`, { json: { file: "x" }, headers: { "x-atlassian-token": "no-check" } });
    expect(asJson.status).toBe(400);
    expect(fake.violations.map((v) => v.problems[0])).toEqual([
      "addAttachment without `X-Atlassian-Token: no-check` is blocked",
      'the multipart parameter holding the files must be named "file" (got attachment)',
      "Content-Type application/json is not accepted; use multipart/form-data",
    ]);
  });

  it("the wrong auth for the entry point: Bearer on the site, Basic on the gateway, none at all", async () => {
    const grant = fake.oauth!.grant();
    expect((await call(fake, "GET", "/rest/api/3/myself", { auth: `Bearer ${grant.accessToken}` })).status).toBe(401);
    expect((await call(fake, "GET", `/ex/jira/${fake.cloudId}/rest/api/3/myself`, { auth: basic(fake.credentials.email, fake.credentials.apiToken) })).status).toBe(401);
    expect((await call(fake, "GET", "/rest/api/3/myself", { auth: null })).status).toBe(401);
    expect((await call(fake, "GET", `/ex/jira/${fake.cloudId}/rest/api/3/myself`, { auth: `Bearer ${grant.accessToken}` })).status).toBe(200);
    expect(fake.violations).toHaveLength(3);
  });

  it("removed and wrong-version endpoints, unknown operations, wrong methods", async () => {
    expect((await call(fake, "POST", "/rest/api/3/search", { json: { jql: "project = SUP" } })).status).toBe(404);
    expect((await call(fake, "GET", `/rest/api/2/issue/${key}`)).status).toBe(404);
    expect((await call(fake, "GET", "/rest/api/3/dashboard")).status).toBe(404);
    expect((await call(fake, "DELETE", "/rest/api/3/myself")).status).toBe(405);
    expect(fake.violations).toHaveLength(4);
  });

  it("JQL: unbounded queries, syntax errors, unknown fields; unindexed issue properties match nothing", async () => {
    const search = (jql: string) => call(fake, "POST", "/rest/api/3/search/jql", { json: { jql, fields: ["summary"] } });
    expect((await search("order by created DESC")).json).toEqual({ errorMessages: ["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."], errors: {} });
    expect((await search('project = "SUP')).status).toBe(400);
    expect(((await search("project = SUP AND colour = red")).json as { errorMessages: string[] }).errorMessages[0]).toBe("Field 'colour' does not exist or you do not have permission to view it.");
    await call(fake, "PUT", `/rest/api/3/issue/${key}/properties/switchboard`, { json: { ticketId: "t-1" } });
    expect(((await search('project = SUP AND issue.property[switchboard].ticketId = "t-1"')).json as { issues: unknown[] }).issues).toEqual([]);
    expect(((await search(`project = SUP AND key in (${key}, SUP-999)`)).json as { issues: { key: string }[] }).issues.map((i) => i.key)).toEqual([key]);
    expect(((await search("project = SUP")).json as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
    expect(((await call(fake, "POST", "/rest/api/3/search/jql", { json: { jql: "project = SUP" } })).json as { issues: Record<string, unknown>[] }).issues[0]).toEqual({ id: expect.any(String) });
  });

  it("JSM comments must be strings with a boolean `public`; sd.public.comment must hold a JSON boolean", async () => {
    const jsm = await call(fake, "POST", `/rest/servicedeskapi/request/${key}/comment`, { json: { body: adf("x"), public: "false" } });
    expect(jsm.status).toBe(400);
    expect((jsm.json as { errorMessage: string }).errorMessage).toMatch(/\$\.body: must be string/);
    const property = await call(fake, "POST", `/rest/api/3/issue/${key}/comment`, { json: { body: adf("x"), properties: [{ key: "sd.public.comment", value: { internal: "true" } }] } });
    expect(property.status).toBe(400);
    expect(fake.violations).toHaveLength(2);
  });

  it("a transition the workflow does not offer, and one without an id", async () => {
    expect((await call(fake, "POST", `/rest/api/3/issue/${key}/transitions`, { json: { transition: { id: "11" } } })).status).toBe(400);
    expect((await call(fake, "POST", `/rest/api/3/issue/${key}/transitions`, { json: { transition: {} } })).status).toBe(400);
  });

  it("answers injected faults in order, then recovers", async () => {
    fake.failNext({ status: 429, retryAfter: 3, times: 2 });
    fake.failNext({ status: 502 });
    const a = await fetch(`${fake.url}/rest/api/3/myself`);
    expect([a.status, a.headers.get("retry-after")]).toEqual([429, "3"]);
    expect((await fetch(`${fake.url}/rest/api/3/myself`)).status).toBe(429);
    expect((await fetch(`${fake.url}/rest/api/3/myself`)).status).toBe(502);
    expect((await call(fake, "GET", "/rest/api/3/myself")).status).toBe(200);
  });
});

describe("fake Jira Server/DC refuses what DC refuses", () => {
  let fake: FakeJira;
  beforeAll(async () => {
    fake = await startFakeJira({ deployment: "datacenter" });
  });
  afterAll(() => fake.close());
  afterEach(() => {
    expect(fake.responseViolations).toEqual([]);
    fake.reset();
  });

  it("ADF where v2 takes wiki strings, v3 paths, Cloud-only search, accountId users", async () => {
    const adfBody = await call(fake, "POST", "/rest/api/2/issue", { json: createBody(adf("x")) });
    expect(adfBody.status).toBe(400);
    expect((adfBody.json as { errors: Record<string, string> }).errors.description).toBe("Operation value must be a string");
    expect((await call(fake, "POST", "/rest/api/2/issue", { json: createBody("h1. Fine") })).status).toBe(201);
    expect((await call(fake, "GET", "/rest/api/3/myself")).status).toBe(404);
    expect((await call(fake, "POST", "/rest/api/2/search/jql", { json: { jql: "project = SUP" } })).status).toBe(404);
    const byAccount = await call(fake, "POST", "/rest/api/2/issue", { json: createBody("x", { assignee: { accountId: "5b10ac8d82e05b22cc7d4ef5" } }) });
    expect(byAccount.status).toBe(400);
    expect(fake.violations.map((v) => v.problems[0])).toEqual([
      "description: Operation value must be a string",
      "Jira Server/DC has no REST v3; use /rest/api/2",
      "/search/jql is Cloud-only; DC searches with /rest/api/2/search",
      "assignee: Server/DC identifies users by name",
    ]);
  });

  it("accepts Basic and PAT, and refuses the gateway", async () => {
    expect((await call(fake, "GET", "/rest/api/2/myself", { auth: basic(fake.credentials.username, fake.credentials.password) })).status).toBe(200);
    expect((await call(fake, "GET", "/rest/api/2/myself", { auth: "Bearer wrong" })).status).toBe(401);
    expect((await call(fake, "GET", "/ex/jira/x/rest/api/2/myself")).status).toBe(404);
  });

  it("answers DC search with startAt/total", async () => {
    const res = await call(fake, "POST", "/rest/api/2/search", { json: { jql: "project = SUP ORDER BY created ASC", startAt: 0, maxResults: 1, fields: ["summary"] } });
    expect(res.json).toMatchObject({ startAt: 0, maxResults: 1, total: 1, issues: [{ fields: { summary: "Contract test" } }] });
  });
});

describe("the fake's validator", () => {
  it("flags off-spec answers and refuses keywords it does not implement", () => {
    const spec = platformSpec();
    expect(spec.validate({ $ref: "#/components/schemas/CreatedIssue" }, { id: "1", key: "SUP-1", extra: true }, "response")).toEqual(["$.extra: not a property of this schema"]);
    expect(spec.validate({ $ref: "#/components/schemas/CreatedIssue" }, { id: 1 }, "response")).toEqual(["$.id: must be string, got integer"]);
    const odd = new SpecDocument("odd", { paths: {}, components: { schemas: {}, securitySchemes: {} } });
    expect(() => odd.validate({ type: "string", pattern: "^a" }, "a", "request")).toThrow(/not supported/);
  });

  it("parses the JQL the connector sends", () => {
    expect(parseJql('project = "SUP" AND labels = "switchboard-1" ORDER BY created ASC')).toEqual({
      where: { kind: "and", items: [{ kind: "cmp", field: "project", op: "=", value: "SUP" }, { kind: "cmp", field: "labels", op: "=", value: "switchboard-1" }] },
      orderBy: [{ field: "created", direction: "asc" }],
    });
    expect(parseJql('updated >= "2026-12-01 10:00" AND key NOT IN (A-1, A-2) AND assignee IS EMPTY').where).toMatchObject({ kind: "and", items: [{ op: ">=" }, { op: "not in", value: ["A-1", "A-2"] }, { op: "is", value: null }] });
    expect(() => parseJql("assignee = currentUser()")).toThrow(/functions/);
  });
});
