import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jiraSettingsFrom } from "../../src/connectors/jira/jiraSettings.js";
import { runDynamicWebhooks } from "../../src/connectors/jira/jobs/dynamicWebhooksJob.js";
import { dynamicWebhookState } from "../../src/connectors/jira/dynamicWebhooks.js";
import { connections } from "../../src/db/schema/index.js";
import { call } from "../helpers/testApp.js";
import { silentLog } from "../jobs/fixtures/jobTesting.js";
import { expectCleanFake } from "./helpers.js";
import { startHarness, type Harness } from "./syncHarness.js";

const DAY = 24 * 3600_000;
const CLIENT_SECRET = "client-secret-xyz";
let clock = Date.now();
const now = () => new Date(clock);

describe("dynamic webhooks for an OAuth (3LO) connection", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ fake: { oauth: { clientId: "client-abc", clientSecret: CLIENT_SECRET }, now } });
  });
  afterAll(() => h?.close());
  afterEach(async () => {
    await h.idle();
    expectCleanFake(h.fake);
  });

  const settings = async () => (await h.ctx.db.select().from(connections))[0]!.settings;
  const check = async () => (await runDynamicWebhooks(h.ctx.db, { settings: jiraSettingsFrom(h.ctx.config), now: now(), log: silentLog })).get(await h.connectionId())!;
  const live = () => h.fake.state.dynamicWebhooks.filter((w) => w.expiresAt > clock);

  it("registers the webhook when the consent completes, through the API gateway, with a JQL filter on the project", async () => {
    const saved = await h.connect({ auth: { kind: "oauth", clientId: "client-abc", clientSecret: CLIENT_SECRET }, baseUrl: h.fake.siteUrl, oauthAuthorizeUrl: h.fake.url, apiGatewayUrl: h.fake.url, webhookSecret: null });
    expect(saved.statusCode, saved.body).toBe(200);
    const consent = new URL(String((await call(h.ctx, h.admin, "GET", "/api/v1/connections/jira/authorize")).headers.location));
    const back = new URL((await fetch(consent, { redirect: "manual" })).headers.get("location")!);
    expect(h.fake.state.dynamicWebhooks).toEqual([]);
    const done = await call(h.ctx, h.admin, "GET", `${back.pathname}${back.search}`);
    expect(done.statusCode, done.body).toBe(200);
    await h.idle();

    expect(live()).toEqual([
      {
        id: expect.any(Number),
        url: "https://desk.example.test/webhooks/jira",
        events: ["jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "comment_updated", "comment_deleted"],
        jqlFilter: "project = SUP",
        expiresAt: clock + 30 * DAY,
      },
    ]);
    expect(h.fake.apiCalls("registerDynamicWebhooks").map((r) => r.via)).toEqual(["gateway"]);
    const state = dynamicWebhookState(await settings());
    expect(state).toMatchObject({ url: "https://desk.example.test/webhooks/jira", jqlFilter: "project = SUP", ids: [live()[0]!.id], expiresAt: new Date(clock + 30 * DAY).toISOString() });
  });

  it("accepts deliveries carrying the app's JWT and refuses forged, expired or unsigned ones", async () => {
    const d = (jwt?: { secret: string; issuedAt?: Date; expiresInSeconds?: number }) => h.fake.sampleDelivery("jira-webhook-cloud-comment-created", jwt ? { jwt } : {});
    expect((await h.deliver(d({ secret: CLIENT_SECRET }))).statusCode).toBe(202);
    const forged = await h.deliver(d({ secret: "someone-elses-secret" }));
    expect(forged.statusCode).toBe(401);
    expect(forged.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect((await h.deliver(d({ secret: CLIENT_SECRET, issuedAt: new Date(Date.now() - 3600_000), expiresInSeconds: 60 }))).statusCode).toBe(401);
    expect((await h.deliver(d())).statusCode).toBe(401);
    const tampered = d({ secret: CLIENT_SECRET });
    const [head, , sig] = tampered.headers.authorization!.replace("Bearer ", "").split(".");
    const claims = Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 999_999 })).toString("base64url");
    expect((await h.deliver({ ...tampered, headers: { ...tampered.headers, authorization: `Bearer ${head}.${claims}.${sig}` } })).statusCode).toBe(401);
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    expect((await h.deliver({ ...tampered, headers: { ...tampered.headers, authorization: `Bearer ${none}.${claims}.${sig}` } })).statusCode).toBe(401);
    expect(await h.storedEvents()).toBe(1);
  });

  it("leaves a fresh webhook alone and refreshes it once fewer than 7 days remain", async () => {
    const [hook] = live();
    clock += 10 * DAY;
    h.fake.reset();
    expect(await check()).toMatchObject({ action: "unchanged", ids: [hook!.id] });
    expect(h.fake.apiCalls("refreshWebhooks")).toEqual([]);

    clock += 14 * DAY; // 6 days left
    expect(await check()).toMatchObject({ action: "refreshed", ids: [hook!.id], expiresAt: new Date(clock + 30 * DAY) });
    expect(h.fake.apiCalls("refreshWebhooks").map((r) => r.json)).toEqual([{ webhookIds: [hook!.id] }]);
    expect(live()).toMatchObject([{ id: hook!.id, expiresAt: clock + 30 * DAY }]);
    expect(dynamicWebhookState(await settings())!.expiresAt).toBe(new Date(clock + 30 * DAY).toISOString());
    expect(h.fake.apiCalls("registerDynamicWebhooks")).toEqual([]);
  });

  it("registers again when Jira no longer has the webhook (it expired), and keeps one registration", async () => {
    const [old] = live();
    clock += 31 * DAY; // nobody refreshed it: Jira dropped it
    expect(live()).toEqual([]);
    const outcome = await check();
    expect(outcome.action).toBe("registered");
    const [fresh] = live();
    expect(fresh!.id).not.toBe(old!.id);
    expect(outcome.ids).toEqual([fresh!.id]);
    expect(dynamicWebhookState(await settings())!.ids).toEqual([fresh!.id]);
    expect(await check()).toMatchObject({ action: "unchanged", ids: [fresh!.id] });
    expect(live()).toHaveLength(1);
  });
});
