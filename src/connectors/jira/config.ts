import { z } from "zod";
import { ConfigError } from "../../config.js";

export const jiraDeployments = ["cloud", "datacenter"] as const;
export type JiraDeployment = (typeof jiraDeployments)[number];

const ZHttpUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .transform((u) => u.replace(/\/+$/, ""));

/**
 * How the connector proves who it is. Cloud takes an API token (email + token, Basic) or OAuth
 * 2.0 (3LO, Bearer via api.atlassian.com); Server/DC a Personal Access Token (Bearer) or a
 * username and password (Basic). PROTOCOLS.md §1.1 and §1.7.
 */
export const ZJiraAuth = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("api_token"), email: z.email(), apiToken: z.string().min(1) }),
  z.object({ kind: z.literal("pat"), token: z.string().min(1) }),
  z.object({ kind: z.literal("basic"), username: z.string().min(1), password: z.string().min(1) }),
  z.object({
    kind: z.literal("oauth"),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** The site's cloud id, learnt from accessible-resources after consent. */
    cloudId: z.string().min(1).optional(),
  }),
]);
export type JiraAuth = z.infer<typeof ZJiraAuth>;

const authsFor: Record<JiraDeployment, readonly JiraAuth["kind"][]> = {
  cloud: ["api_token", "oauth"],
  datacenter: ["pat", "basic"],
};

/** One Jira connection. Secrets are plain here; storage encrypts them (DESIGN.md §2). */
export const ZJiraConnection = z
  .object({
    deployment: z.enum(jiraDeployments),
    /** The site: `https://acme.atlassian.net` on Cloud, the DC base URL (with context path) on DC. */
    baseUrl: ZHttpUrl,
    auth: ZJiraAuth,
    projectKey: z.string().regex(/^[A-Z][A-Z0-9_]+$/, "must be a Jira project key such as SUP"),
    /** Issue type id or name for escalated tickets. */
    issueType: z.string().min(1).default("Task"),
    /** Shared secret of an admin webhook; unset means deliveries cannot be authenticated. */
    webhookSecret: z.string().min(12, "must be at least 12 characters").optional(),
    /** DC servers often live on private networks; Cloud never does. */
    allowPrivateNetwork: z.boolean().default(false),
    timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
    /** Atlassian's OAuth and API gateway hosts, overridable so tests can point them at a fake. */
    oauthAuthorizeUrl: ZHttpUrl.default("https://auth.atlassian.com"),
    apiGatewayUrl: ZHttpUrl.default("https://api.atlassian.com"),
  })
  .superRefine((c, ctx) => {
    if (!authsFor[c.deployment].includes(c.auth.kind)) {
      ctx.addIssue({
        code: "custom",
        path: ["auth", "kind"],
        message: `${c.auth.kind} does not work with Jira ${c.deployment}; use ${authsFor[c.deployment].join(" or ")}`,
      });
    }
  });
export type JiraConnectionInput = z.input<typeof ZJiraConnection>;
export type JiraConnection = z.output<typeof ZJiraConnection>;

const ZBool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");

/**
 * The connection described by JIRA_* variables, or null when none is set. Which auth is meant
 * follows from which secrets are present; more than one kind is an error rather than a guess.
 * Besides the variables issue #5 names, DC basic auth reads JIRA_USERNAME/JIRA_PASSWORD and
 * JIRA_ALLOW_PRIVATE_NETWORK lets a DC server on a private address be reached.
 */
export function jiraConnectionFromEnv(env: NodeJS.ProcessEnv = process.env): JiraConnection | null {
  const v = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const any = Object.keys(env).some((k) => k.startsWith("JIRA_") && v(k) !== undefined);
  if (!any) return null;
  const problems: string[] = [];
  const deployment = v("JIRA_DEPLOYMENT") ?? "cloud";
  const candidates: JiraAuth[] = [];
  const oauthId = v("JIRA_OAUTH_CLIENT_ID");
  const oauthSecret = v("JIRA_OAUTH_CLIENT_SECRET");
  if (oauthId || oauthSecret) candidates.push({ kind: "oauth", clientId: oauthId ?? "", clientSecret: oauthSecret ?? "" });
  const pat = v("JIRA_PAT");
  if (pat) candidates.push({ kind: "pat", token: pat });
  const email = v("JIRA_EMAIL");
  const apiToken = v("JIRA_API_TOKEN");
  if (email || apiToken) candidates.push({ kind: "api_token", email: email ?? "", apiToken: apiToken ?? "" });
  const username = v("JIRA_USERNAME");
  const password = v("JIRA_PASSWORD");
  if (username || password) candidates.push({ kind: "basic", username: username ?? "", password: password ?? "" });
  if (candidates.length === 0) {
    problems.push("JIRA_*: no credentials; set JIRA_EMAIL + JIRA_API_TOKEN, JIRA_OAUTH_CLIENT_ID + _SECRET, JIRA_PAT, or JIRA_USERNAME + JIRA_PASSWORD");
  } else if (candidates.length > 1) {
    problems.push(`JIRA_*: credentials for ${candidates.map((c) => c.kind).join(" and ")} are both set; keep one`);
  }
  let allowPrivateNetwork = false;
  const allowRaw = v("JIRA_ALLOW_PRIVATE_NETWORK");
  if (allowRaw !== undefined) {
    const parsed = ZBool.safeParse(allowRaw);
    if (parsed.success) allowPrivateNetwork = parsed.data;
    else problems.push("JIRA_ALLOW_PRIVATE_NETWORK: must be true or false");
  }
  const parsed = ZJiraConnection.safeParse({
    deployment,
    baseUrl: v("JIRA_BASE_URL"),
    auth: candidates[0],
    projectKey: v("JIRA_PROJECT_KEY"),
    issueType: v("JIRA_ISSUE_TYPE"),
    webhookSecret: v("JIRA_WEBHOOK_SECRET"),
    allowPrivateNetwork,
  });
  const envName: Record<string, string> = {
    deployment: "JIRA_DEPLOYMENT",
    baseUrl: "JIRA_BASE_URL",
    projectKey: "JIRA_PROJECT_KEY",
    issueType: "JIRA_ISSUE_TYPE",
    webhookSecret: "JIRA_WEBHOOK_SECRET",
    "auth.email": "JIRA_EMAIL",
    "auth.apiToken": "JIRA_API_TOKEN",
    "auth.token": "JIRA_PAT",
    "auth.username": "JIRA_USERNAME",
    "auth.password": "JIRA_PASSWORD",
    "auth.clientId": "JIRA_OAUTH_CLIENT_ID",
    "auth.clientSecret": "JIRA_OAUTH_CLIENT_SECRET",
    "auth.kind": "JIRA_DEPLOYMENT",
  };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join(".");
      // Without exactly one set of credentials the auth problem is already reported above.
      if (path.startsWith("auth") && candidates.length !== 1) continue;
      problems.push(`${envName[path] ?? path}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}
