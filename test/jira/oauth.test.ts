import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createJiraClient } from "../../src/connectors/jira/client.js";
import { JiraError } from "../../src/connectors/jira/errors.js";
import { createAtlassianOAuth, type OAuthTokens } from "../../src/connectors/jira/oauth.js";
import { startFakeJira, type FakeJira } from "./fake/fakeJira.js";
import { connectionFor, expectCleanFake, memoryTokenStore } from "./helpers.js";

let fake: FakeJira;
let clock = Date.parse("2026-12-01T09:00:00Z");
const now = () => new Date(clock);

beforeAll(async () => {
  fake = await startFakeJira({ deployment: "cloud", oauth: { clientId: "client-abc", clientSecret: "client-secret-xyz" }, now });
});
afterAll(() => fake.close());
afterEach(() => expectCleanFake(fake));

function oauthClient() {
  const connection = connectionFor(fake, "oauth");
  return createAtlassianOAuth({ clientId: "client-abc", clientSecret: "client-secret-xyz", authBaseUrl: connection.oauthAuthorizeUrl, apiGatewayUrl: connection.apiGatewayUrl, allowPrivateNetwork: true, timeoutMs: 5000, now });
}

function grantedTokens(): OAuthTokens {
  const g = fake.oauth!.grant();
  return { accessToken: g.accessToken, refreshToken: g.refreshToken, expiresAt: clock + g.expiresIn * 1000 };
}

async function kindOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "ok",
    (e: unknown) => (e instanceof JiraError ? e.kind : `not a JiraError: ${String(e)}`),
  );
}

describe("Atlassian OAuth 2.0 (3LO) against the fake", () => {
  it("routes calls through api.atlassian.com/ex/jira/{cloudId}, found from accessible-resources", async () => {
    const store = memoryTokenStore(grantedTokens());
    const jira = createJiraClient(connectionFor(fake, "oauth"), { oauthStore: store, now });
    const me = await jira.myself();
    expect(me.accountId).toBe("5b10ac8d82e05b22cc7d4ef5");
    const call = fake.apiCalls("getCurrentUser").at(-1)!;
    expect(call.via).toBe("gateway");
    expect(call.headers.authorization).toBe(`Bearer ${store.current()!.accessToken}`);
    expect(fake.requests.some((r) => r.path === "/oauth/token/accessible-resources")).toBe(true);
  });

  it("refuses to guess a site the grant does not reach", async () => {
    const store = memoryTokenStore(grantedTokens());
    const jira = createJiraClient(connectionFor(fake, "oauth", { baseUrl: "https://someone-else.atlassian.net" }), { oauthStore: store, now });
    expect(await kindOf(jira.myself())).toBe("config_invalid");
  });

  it("refreshes after a 401, stores the rotated refresh token, and the old one is refused", async () => {
    const initial = grantedTokens();
    const store = memoryTokenStore(initial);
    const jira = createJiraClient(connectionFor(fake, "oauth"), { oauthStore: store, now });
    await jira.myself();
    fake.oauth!.expireAccessTokens();
    await jira.myself();
    expect(store.saved).toHaveLength(1);
    const rotated = store.current()!;
    expect(rotated.refreshToken).not.toBe(initial.refreshToken);
    expect(rotated.accessToken).not.toBe(initial.accessToken);
    const refreshes = fake.oauth!.tokenRequests.filter((r) => r.grantType === "refresh_token");
    expect(refreshes.at(-1)).toMatchObject({ refreshToken: initial.refreshToken, status: 200, contentType: "application/x-www-form-urlencoded;charset=UTF-8" });

    // The old refresh token is dead, and reusing it revokes the grant (PROTOCOLS.md §1.5).
    const oauth = oauthClient();
    const reuse = await oauth.refresh(initial.refreshToken).catch((e: unknown) => e);
    expect(reuse).toBeInstanceOf(JiraError);
    expect((reuse as JiraError).kind).toBe("auth_failed");
    expect((reuse as JiraError).message).toMatch(/reconnect Jira/);
    expect(await kindOf(oauth.refresh(rotated.refreshToken))).toBe("auth_failed");
  });

  it("issues a new refresh token on every refresh and refuses each previous one", async () => {
    const oauth = oauthClient();
    let tokens = grantedTokens();
    const seen = new Set([tokens.refreshToken]);
    for (let i = 0; i < 4; i++) {
      const next = await oauth.refresh(tokens.refreshToken);
      expect(seen.has(next.refreshToken)).toBe(false);
      seen.add(next.refreshToken);
      expect(next.expiresAt).toBe(clock + 3600 * 1000);
      tokens = next;
    }
    const [first] = seen;
    expect(await kindOf(oauth.refresh(first!))).toBe("auth_failed");
  });

  it("refreshes before expiry, once, however many calls want a token at the same time", async () => {
    const store = memoryTokenStore(grantedTokens());
    const jira = createJiraClient(connectionFor(fake, "oauth"), { oauthStore: store, now });
    await jira.myself();
    const before = fake.oauth!.tokenRequests.length;
    clock += 3600 * 1000 - 30_000; // inside the 60 s skew
    await Promise.all(Array.from({ length: 5 }, () => jira.myself()));
    expect(fake.oauth!.tokenRequests.length - before).toBe(1);
    expect(store.saved).toHaveLength(1);
  });

  it("picks up a refresh another process already made instead of reusing the rotated token", async () => {
    const initial = grantedTokens();
    const store = memoryTokenStore(initial);
    const jira = createJiraClient(connectionFor(fake, "oauth"), { oauthStore: store, now });
    await jira.myself();
    clock += 3600 * 1000 - 30_000;
    // Another worker refreshed first and stored the new pair; this client still holds the old one.
    const elsewhere = await oauthClient().refresh(initial.refreshToken);
    await store.save(elsewhere);
    const countBefore = fake.oauth!.tokenRequests.length;
    await jira.myself();
    expect(fake.oauth!.tokenRequests.length).toBe(countBefore);
    expect(fake.apiCalls("getCurrentUser").at(-1)!.headers.authorization).toBe(`Bearer ${elsewhere.accessToken}`);
  });

  it("reports a revoked grant as auth_failed", async () => {
    const store = memoryTokenStore(grantedTokens());
    const jira = createJiraClient(connectionFor(fake, "oauth"), { oauthStore: store, now });
    await jira.myself();
    fake.oauth!.revokeAll();
    expect(await kindOf(jira.myself())).toBe("auth_failed");
  });

  it("runs the authorization-code flow with state and PKCE", async () => {
    const oauth = oauthClient();
    const redirectUri = "https://desk.example.com/api/v1/connections/jira/callback";
    const codeVerifier = "a".repeat(43);
    const url = new URL(await oauth.authorizeUrl({ redirectUri, state: "state-123", codeVerifier }));
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ audience: "api.atlassian.com", client_id: "client-abc", response_type: "code", prompt: "consent", state: "state-123", code_challenge_method: "S256" });
    expect(url.searchParams.get("scope")!.split(" ")).toContain("offline_access");

    const consent = await fetch(url, { redirect: "manual" });
    expect(consent.status).toBe(302);
    const callbackUrl = new URL(consent.headers.get("location")!);
    expect(await kindOf(oauth.exchangeCallback({ callbackUrl, expectedState: "other-state", redirectUri, codeVerifier }))).not.toBe("ok");
    const consent2 = await fetch(url, { redirect: "manual" });
    const callback2 = new URL(consent2.headers.get("location")!);
    const tokens = await oauth.exchangeCallback({ callbackUrl: callback2, expectedState: "state-123", redirectUri, codeVerifier });
    expect(tokens.refreshToken).toMatch(/^rt-/);
    const sites = await oauth.accessibleResources(tokens.accessToken);
    expect(sites).toEqual([{ id: fake.cloudId, name: "switchboard-fake", url: fake.siteUrl, scopes: expect.arrayContaining(["read:jira-work"]) }]);

    const consent3 = await fetch(url, { redirect: "manual" });
    const callback3 = new URL(consent3.headers.get("location")!);
    expect(await kindOf(oauth.exchangeCallback({ callbackUrl: callback3, expectedState: "state-123", redirectUri, codeVerifier: "b".repeat(43) }))).toBe("auth_failed");
  });
});
