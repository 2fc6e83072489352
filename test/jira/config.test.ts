import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config.js";
import { jiraConnectionFromEnv } from "../../src/connectors/jira/config.js";

function problems(env: Record<string, string>): string[] {
  try {
    jiraConnectionFromEnv(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("Jira connection from the environment", () => {
  it("is absent when no JIRA_ variable is set", () => {
    expect(jiraConnectionFromEnv({ PORT: "3000", JIRA_BASE_URL: "" })).toBeNull();
  });

  it("reads a Cloud API-token connection", () => {
    const c = jiraConnectionFromEnv({
      JIRA_BASE_URL: "https://acme.atlassian.net/",
      JIRA_EMAIL: "bot@acme.example",
      JIRA_API_TOKEN: "tok",
      JIRA_PROJECT_KEY: "SUP",
      JIRA_ISSUE_TYPE: "Bug",
      JIRA_WEBHOOK_SECRET: "a-webhook-secret-value",
    });
    expect(c).toMatchObject({
      deployment: "cloud",
      baseUrl: "https://acme.atlassian.net",
      auth: { kind: "api_token", email: "bot@acme.example", apiToken: "tok" },
      projectKey: "SUP",
      issueType: "Bug",
      webhookSecret: "a-webhook-secret-value",
      allowPrivateNetwork: false,
      apiGatewayUrl: "https://api.atlassian.com",
      oauthAuthorizeUrl: "https://auth.atlassian.com",
    });
  });

  it("reads Cloud OAuth and DC PAT / basic connections", () => {
    expect(jiraConnectionFromEnv({ JIRA_BASE_URL: "https://acme.atlassian.net", JIRA_OAUTH_CLIENT_ID: "id", JIRA_OAUTH_CLIENT_SECRET: "secret", JIRA_PROJECT_KEY: "SUP" })?.auth).toEqual({ kind: "oauth", clientId: "id", clientSecret: "secret" });
    const dc = jiraConnectionFromEnv({ JIRA_DEPLOYMENT: "datacenter", JIRA_BASE_URL: "http://jira.intranet:8080/jira", JIRA_PAT: "pat", JIRA_PROJECT_KEY: "OPS", JIRA_ALLOW_PRIVATE_NETWORK: "true" });
    expect(dc).toMatchObject({ deployment: "datacenter", baseUrl: "http://jira.intranet:8080/jira", auth: { kind: "pat", token: "pat" }, issueType: "Task", allowPrivateNetwork: true });
    expect(jiraConnectionFromEnv({ JIRA_DEPLOYMENT: "datacenter", JIRA_BASE_URL: "https://jira.example.com", JIRA_USERNAME: "bot", JIRA_PASSWORD: "pw", JIRA_PROJECT_KEY: "OPS" })?.auth).toEqual({ kind: "basic", username: "bot", password: "pw" });
  });

  it("names the variables that are wrong, missing or in conflict", () => {
    expect(problems({ JIRA_BASE_URL: "https://acme.atlassian.net", JIRA_PROJECT_KEY: "SUP" })).toEqual([expect.stringMatching(/no credentials/)]);
    expect(problems({ JIRA_BASE_URL: "https://acme.atlassian.net", JIRA_PROJECT_KEY: "SUP", JIRA_PAT: "p", JIRA_EMAIL: "a@b.example", JIRA_API_TOKEN: "t" })).toEqual(["JIRA_*: credentials for pat and api_token are both set; keep one"]);
    expect(problems({ JIRA_DEPLOYMENT: "datacenter", JIRA_BASE_URL: "https://jira.example.com", JIRA_PROJECT_KEY: "SUP", JIRA_EMAIL: "a@b.example", JIRA_API_TOKEN: "t" })).toEqual([
      "JIRA_DEPLOYMENT: api_token does not work with Jira datacenter; use pat or basic",
    ]);
    const many = problems({ JIRA_BASE_URL: "ftp://acme", JIRA_PROJECT_KEY: "sup", JIRA_EMAIL: "not-an-email", JIRA_API_TOKEN: "t", JIRA_WEBHOOK_SECRET: "short", JIRA_ALLOW_PRIVATE_NETWORK: "maybe" });
    expect(many).toEqual(
      expect.arrayContaining([
        "JIRA_ALLOW_PRIVATE_NETWORK: must be true or false",
        "JIRA_BASE_URL: must be an http(s) URL",
        "JIRA_PROJECT_KEY: must be a Jira project key such as SUP",
        expect.stringMatching(/^JIRA_EMAIL: /),
        "JIRA_WEBHOOK_SECRET: must be at least 12 characters",
      ]),
    );
    expect(problems({ JIRA_DEPLOYMENT: "server", JIRA_BASE_URL: "https://j.example.com", JIRA_PROJECT_KEY: "SUP", JIRA_PAT: "p" })[0]).toMatch(/^JIRA_DEPLOYMENT: /);
  });
});
