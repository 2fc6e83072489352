import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureJiraConnectionFromEnv } from "../../src/commands/jira/ensureJiraConnectionFromEnv.js";
import { jiraSettingsFrom } from "../../src/connectors/jira/jiraSettings.js";
import { connections, oauthStates } from "../../src/db/schema/index.js";
import { silentLog } from "../jobs/fixtures/jobTesting.js";
import { call, json } from "../helpers/testApp.js";
import { expectCleanFake } from "./helpers.js";
import { connectionBody, startHarness, WEBHOOK_SECRET, type Harness } from "./syncHarness.js";

type View = {
  id: string;
  status: string;
  lastError: string | null;
  settings: { auth: { kind: string; cloudId?: string }; mapping: { customFields: unknown[] }; remote: { projectTypeKey?: string } };
  secrets: Record<string, boolean>;
  webhookUrl: string;
  report?: { ok: boolean; checks: { name: string; result: string; message: string }[] };
};
type Problem = { status: number; code: string; detail: string; checks?: { name: string; result: string; message: string }[] };

const mapping = {
  customFields: [
    { key: "accountAddress", source: "customFields.accountAddress", jiraField: "customfield_10001", type: "text" },
    { key: "category", source: "category", jiraField: "customfield_10002", type: "select", options: { billing: "Billing", technical: "Technical" } },
  ],
  status: { fromJira: [{ match: { categoryKey: "done" }, ticketStatus: "resolved" }, { match: { statusId: "10002" }, ticketStatus: "waiting_on_customer" }], toJira: [] },
};

describe("the Jira connection (admin API)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ fake: { oauth: { clientId: "client-abc", clientSecret: "client-secret-xyz" } } });
  });
  afterAll(() => h.close());
  afterEach(() => expectCleanFake(h.fake));

  it("stores settings and mapping checked against Jira, with secrets sealed and never returned", async () => {
    expect((await call(h.ctx, h.admin, "GET", "/api/v1/connections/jira")).statusCode).toBe(404);
    expect((await call(h.ctx, h.agent, "PUT", "/api/v1/connections/jira", connectionBody(h.fake))).statusCode).toBe(403);

    const res = await h.connect({ mapping });
    expect(res.statusCode, res.body).toBe(200);
    const view = json<View>(res);
    expect(view).toMatchObject({ status: "active", lastError: null, webhookUrl: "https://desk.example.test/webhooks/jira" });
    expect(view.secrets).toEqual({ apiToken: true, token: false, password: false, clientSecret: false, webhookSecret: true, oauthTokens: false });
    expect(view.settings.remote.projectTypeKey).toBe("service_desk");
    expect(view.report!.checks.map((c) => [c.name, c.result])).toEqual([
      ["credentials", "ok"],
      ["project", "ok"],
      ["issue_type", "ok"],
      ["statuses", "ok"],
      ["fields", "ok"],
    ]);
    // The secrets appear nowhere: not in answers, not in plain text in the row.
    for (const body of [res.body, (await call(h.ctx, h.admin, "GET", "/api/v1/connections/jira")).body]) {
      expect(body).not.toContain(h.fake.credentials.apiToken);
      expect(body).not.toContain(WEBHOOK_SECRET);
    }
    const [row] = await h.ctx.db.select().from(connections);
    expect(JSON.stringify(row!.settings)).not.toContain(h.fake.credentials.apiToken);
    expect(row!.sealedSecrets).not.toContain(h.fake.credentials.apiToken);
    expect(row!.sealedSecrets).toMatch(/^v1\./);

    // Leaving a secret out keeps it: the check against Jira still signs in.
    const body = connectionBody(h.fake, { mapping }) as { auth: Record<string, unknown>; webhookSecret?: unknown };
    delete body.auth.apiToken;
    delete body.webhookSecret;
    const again = await call(h.ctx, h.admin, "PUT", "/api/v1/connections/jira", body);
    expect(again.statusCode, again.body).toBe(200);
    expect(json<View>(again).secrets).toMatchObject({ apiToken: true, webhookSecret: true });
  });

  it("rejects a mapping Jira would refuse, saying what is wrong, and keeps the saved one", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ mapping: { status: { fromJira: [{ match: { statusId: "99999" }, ticketStatus: "resolved" }], toJira: [] } } }, /status id 99999 is not in SUP's workflows; it has To Do \(id 10000, new\)/],
      [{ mapping: { customFields: [{ key: "region", source: "customFields.region", jiraField: "customfield_10099", type: "text" }] } }, /customfield_10099 \(mapped from customFields.region\) is not on the create screen of Task in SUP/],
      [{ mapping: { customFields: [{ key: "category", source: "category", jiraField: "customfield_10002", type: "select", options: { billing: "Invoices" } }] } }, /customfield_10002 \(Category\) has no option "Invoices"/],
      [{ projectKey: "NOPE" }, /project NOPE does not exist, or the Jira user cannot see it/],
      [{ issueType: "Epic" }, /issue type "Epic" cannot be created in SUP; it offers Task \(id 10001\), Bug \(id 10002\)/],
      [{ auth: { kind: "api_token", email: "sync@example.com", apiToken: "wrong-token" } }, /credentials: Jira refused the credentials/],
    ];
    for (const [overrides, words] of cases) {
      const res = await h.connect(overrides);
      expect(res.statusCode, res.body).toBe(422);
      const problem = json<Problem>(res);
      expect(problem.code).toBe("UNPROCESSABLE");
      expect(problem.detail).toMatch(words);
      expect(problem.checks?.some((c) => c.result === "failed")).toBe(true);
    }
    // Nothing of the refused attempts was saved.
    const view = json<View>(await call(h.ctx, h.admin, "GET", "/api/v1/connections/jira"));
    expect(view.settings.mapping.customFields).toHaveLength(2);
    expect(view.status).toBe("active");

    // A mapping that does not even parse is refused by its schema, also with 422.
    const bad = await h.connect({ mapping: { status: { fromJira: [{ match: { name: "Done" }, ticketStatus: "resolved" }], toJira: [] } } });
    expect(bad.statusCode).toBe(422);
    const noUrl = await h.connect({ baseUrl: "ftp://jira.example" });
    expect(noUrl.statusCode).toBe(422);
    expect(json<Problem>(noUrl).detail).toMatch(/baseUrl: must be an http\(s\) URL/);
  });

  it("says in words what the test finds, and 503s without saving when Jira is down", async () => {
    const ok = await call(h.ctx, h.admin, "POST", "/api/v1/connections/jira/test");
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json<View>(ok).report).toMatchObject({ ok: true });
    expect(json<View>(ok).report!.checks[0]!.message).toBe("signed in as Switchboard Sync");

    h.fake.failNext({ status: 401, path: /myself/ });
    const refused = json<View>(await call(h.ctx, h.admin, "POST", "/api/v1/connections/jira/test"));
    expect(refused.report!.ok).toBe(false);
    expect(refused.report!.checks[0]).toMatchObject({ name: "credentials", result: "failed" });
    expect(refused.report!.checks[0]!.message).toMatch(/Jira refused the credentials/);
    expect(refused.report!.checks.slice(1).every((c) => c.result === "skipped")).toBe(true);
    expect(refused.lastError).toMatch(/Jira refused the credentials/);

    h.fake.failNext({ status: 503, path: /myself/, times: 1 });
    const down = await h.connect({ mapping: {} });
    expect(down.statusCode).toBe(503);
    expect(json<Problem>(down).detail).toMatch(/nothing was saved/);
    expect(json<View>(await call(h.ctx, h.admin, "GET", "/api/v1/connections/jira")).settings.mapping.customFields).toHaveLength(2);
  });

  it("connects with OAuth 2.0 (3LO): consent with state and PKCE, tokens sealed, cloud id from accessible-resources", async () => {
    const oauthBody = { auth: { kind: "oauth", clientId: "client-abc", clientSecret: "client-secret-xyz" }, baseUrl: h.fake.siteUrl, oauthAuthorizeUrl: h.fake.url, apiGatewayUrl: h.fake.url };
    const saved = await h.connect(oauthBody);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(json<View>(saved)).toMatchObject({ status: "awaiting_authorization", secrets: { clientSecret: true, oauthTokens: false, apiToken: false } });

    const start = await call(h.ctx, h.admin, "GET", "/api/v1/connections/jira/authorize");
    expect(start.statusCode).toBe(302);
    const consent = new URL(String(start.headers.location));
    expect(consent.origin + consent.pathname).toBe(`${h.fake.url}/authorize`);
    expect(consent.searchParams.get("redirect_uri")).toBe("https://desk.example.test/api/v1/connections/jira/callback");
    expect(consent.searchParams.get("code_challenge_method")).toBe("S256");
    expect(consent.searchParams.get("scope")).toContain("offline_access");
    const state = consent.searchParams.get("state")!;
    // Only its hash is stored.
    const stored = await h.ctx.db.select().from(oauthStates);
    expect(stored.map((s) => s.stateHash)).not.toContain(state);

    // The admin's browser goes to Atlassian, consents, and comes back with a code.
    const atlassian = await fetch(consent, { redirect: "manual" });
    expect(atlassian.status).toBe(302);
    const back = new URL(atlassian.headers.get("location")!);
    expect(back.searchParams.get("state")).toBe(state);

    // Another admin cannot complete it; a made-up state is refused.
    const other = await (await import("../helpers/factories.js")).buildAdmin(h.ctx);
    expect((await call(h.ctx, h.admin, "GET", `/api/v1/connections/jira/callback?code=x&state=made-up`)).statusCode).toBe(400);
    expect((await call(h.ctx, other, "GET", `${back.pathname}${back.search}`)).statusCode).toBe(403);
    // That attempt spent the state: start again.
    const retry = new URL(String((await call(h.ctx, h.admin, "GET", "/api/v1/connections/jira/authorize")).headers.location));
    const back2 = new URL((await fetch(retry, { redirect: "manual" })).headers.get("location")!);
    const done = await call(h.ctx, h.admin, "GET", `${back2.pathname}${back2.search}`);
    expect(done.statusCode, done.body).toBe(200);
    const view = json<View>(done);
    expect(view).toMatchObject({ status: "active", secrets: { oauthTokens: true, clientSecret: true } });
    expect(view.settings.auth.cloudId).toBe(h.fake.cloudId);
    expect(done.body).not.toMatch(/"(accessToken|refreshToken)"/);
    // The code is spent: replaying the callback fails.
    expect((await call(h.ctx, h.admin, "GET", `${back2.pathname}${back2.search}`)).statusCode).toBe(400);
    // The consent queued the dynamic webhook's registration: let it finish with the fresh token, so
    // it cannot meet the expiry or the revocation below first (it would pause the connection itself).
    await h.idle();

    // Calls now go through the gateway with the sealed tokens; an expired token is refreshed and
    // the rotated refresh token saved (one refresh, under the row lock).
    h.fake.oauth!.expireAccessTokens();
    const tested = await call(h.ctx, h.admin, "POST", "/api/v1/connections/jira/test");
    expect(json<View>(tested).report!.ok).toBe(true);
    expect(h.fake.apiCalls("getCurrentUser").at(-1)!.via).toBe("gateway");
    expect(h.fake.oauth!.tokenRequests.filter((r) => r.grantType === "refresh_token" && r.status === 200)).toHaveLength(1);

    // Two processes (two clients, each with its own authorizer) hit an expired token at once:
    // the row lock lets one refresh; the other reads the rotated token instead of spending the
    // old refresh token again, which would revoke the whole grant.
    const { openJiraRuntime: open, transientJiraClient } = await import("../../src/connectors/jira/runtime.js");
    const [current] = await h.ctx.db.select().from(connections);
    const secretKey = jiraSettingsFrom(h.ctx.config).secretKey;
    const shared = open(h.ctx.db, current!, { secretKey }).connection;
    const [one, two] = [transientJiraClient(h.ctx.db, shared, { secretKey, connectionId: current!.id }), transientJiraClient(h.ctx.db, shared, { secretKey, connectionId: current!.id })];
    await Promise.all([one.myself(), two.myself()]);
    const refreshesBefore = h.fake.oauth!.tokenRequests.filter((r) => r.grantType === "refresh_token").length;
    h.fake.oauth!.expireAccessTokens();
    const [meOne, meTwo] = await Promise.all([one.myself(), two.myself()]);
    expect([meOne.accountId, meTwo.accountId]).toEqual(["5b10ac8d82e05b22cc7d4ef5", "5b10ac8d82e05b22cc7d4ef5"]);
    const refreshes = h.fake.oauth!.tokenRequests.filter((r) => r.grantType === "refresh_token").slice(refreshesBefore);
    expect(refreshes.map((r) => r.status)).toEqual([200]);

    // A revoked grant shows as `revoked`, with the reason, and admins are told once.
    h.fake.oauth!.revokeAll();
    h.fake.oauth!.expireAccessTokens();
    const { pauseJiraConnection } = await import("../../src/commands/jira/pauseJiraConnection.js");
    const [row] = await h.ctx.db.select().from(connections);
    const error = await transientJiraClient(h.ctx.db, shared, { secretKey, connectionId: row!.id })
      .myself()
      .catch((e: unknown) => e);
    expect(await pauseJiraConnection(h.ctx.db, row!.id, error as never)).toBe(true);
    expect(await pauseJiraConnection(h.ctx.db, row!.id, error as never)).toBe(false);
    const revoked = json<View>(await call(h.ctx, h.admin, "GET", "/api/v1/connections/jira"));
    expect(revoked.status).toBe("revoked");
    expect(revoked.lastError).toMatch(/reconnect Jira/);
    expect((await h.notificationsOf(h.admin.id)).filter((n) => n.kind === "jira.connection_paused")).toHaveLength(1);
  });

  it("is created from JIRA_* variables on start when none exists, and only then", async () => {
    await h.ctx.db.delete(connections).where(eq(connections.system, "jira"));
    const env = { JIRA_BASE_URL: h.fake.url, JIRA_EMAIL: h.fake.credentials.email, JIRA_API_TOKEN: h.fake.credentials.apiToken, JIRA_PROJECT_KEY: "SUP", JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET, JIRA_ALLOW_PRIVATE_NETWORK: "true" };
    const key = jiraSettingsFrom(h.ctx.config).secretKey;
    await ensureJiraConnectionFromEnv(h.ctx.db, key, silentLog, env);
    const view = json<View>(await call(h.ctx, h.admin, "GET", "/api/v1/connections/jira"));
    expect(view).toMatchObject({ status: "active", secrets: { apiToken: true, webhookSecret: true } });
    expect((await call(h.ctx, h.admin, "POST", "/api/v1/connections/jira/test")).json()).toMatchObject({ report: { ok: true } });
    await ensureJiraConnectionFromEnv(h.ctx.db, key, silentLog, { ...env, JIRA_PROJECT_KEY: "OTHER" });
    expect((await h.ctx.db.select().from(connections)).map((c) => (c.settings as { projectKey: string }).projectKey)).toEqual(["SUP"]);
    await expect(ensureJiraConnectionFromEnv(h.ctx.db, key, silentLog, { JIRA_BASE_URL: "not a url" })).rejects.toThrow(/JIRA_/);
  });
});
