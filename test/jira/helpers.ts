import { ZJiraConnection, type JiraConnection, type JiraConnectionInput } from "../../src/connectors/jira/config.js";
import type { OAuthTokens, OAuthTokenStore } from "../../src/connectors/jira/oauth.js";
import type { FakeJira } from "./fake/fakeJira.js";

/** A connection to the fake: loopback, so private addresses must be allowed. */
export function connectionFor(fake: FakeJira, auth: "api_token" | "pat" | "basic" | "oauth" = fake.deployment === "cloud" ? "api_token" : "pat", overrides: Partial<JiraConnectionInput> = {}): JiraConnection {
  const c = fake.credentials;
  const authConfig =
    auth === "api_token"
      ? { kind: "api_token" as const, email: c.email, apiToken: c.apiToken }
      : auth === "pat"
        ? { kind: "pat" as const, token: c.pat }
        : auth === "basic"
          ? { kind: "basic" as const, username: c.username, password: c.password }
          : { kind: "oauth" as const, clientId: fake.oauth!.options.clientId, clientSecret: fake.oauth!.options.clientSecret };
  return ZJiraConnection.parse({
    deployment: fake.deployment,
    // OAuth connections name the site; their calls go to the gateway, which the fake also is.
    baseUrl: auth === "oauth" ? fake.siteUrl : fake.url,
    auth: authConfig,
    projectKey: "SUP",
    issueType: "Task",
    allowPrivateNetwork: true,
    timeoutMs: 5000,
    oauthAuthorizeUrl: fake.url,
    apiGatewayUrl: fake.url,
    ...overrides,
  });
}

/** Tokens in memory, with a log of every save (rotation means one save per refresh). */
export function memoryTokenStore(initial: OAuthTokens | null): OAuthTokenStore & { saved: OAuthTokens[]; current: () => OAuthTokens | null } {
  let tokens = initial;
  const saved: OAuthTokens[] = [];
  return {
    saved,
    current: () => tokens,
    async load() {
      return tokens;
    },
    async save(t) {
      saved.push(t);
      tokens = t;
    },
  };
}

/** The fake must have seen no contract violations and produced only spec-conformant answers. */
export function expectCleanFake(fake: FakeJira): void {
  const problems = [...fake.violations.map((v) => `violation ${v.request}: ${v.problems.join("; ")}`), ...fake.responseViolations.map((v) => `fake answered off-spec ${v.request}: ${v.problems.join("; ")}`)];
  if (problems.length > 0) throw new Error(problems.join("\n"));
}
