import { z } from "zod";
import { openSecret, sealSecret } from "../../crypto/secretBox.js";
import { jiraDeployments, ZJiraConnection, type JiraAuth, type JiraConnection } from "./config.js";
import { ZJiraMapping, type JiraMapping } from "./mapping.js";
import type { OAuthTokens } from "./oauth.js";

/**
 * How a Jira connection is kept in its `connections` row: everything that is not a secret in
 * `settings` (shown to admins), every credential in `sealed_secrets` (AES-256-GCM under
 * `connection:<id>`, never returned or logged).
 */

const ZStoredAuth = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("api_token"), email: z.string() }),
  z.object({ kind: z.literal("pat") }),
  z.object({ kind: z.literal("basic"), username: z.string() }),
  z.object({ kind: z.literal("oauth"), clientId: z.string(), cloudId: z.string().optional() }),
]);
export type StoredAuth = z.infer<typeof ZStoredAuth>;

/** Facts learnt from Jira when the connection was last checked. */
export const ZRemoteFacts = z
  .object({
    /** `service_desk` when the project is a JSM project: only then can a comment be customer-facing. */
    projectTypeKey: z.string().optional(),
    /** The connector's own Jira identity. */
    accountId: z.string().optional(),
    /** The Jira user's zone: JQL dates are read in it. */
    timeZone: z.string().optional(),
  })
  .loose();
export type RemoteFacts = z.infer<typeof ZRemoteFacts>;

export const ZStoredSettings = z
  .object({
    deployment: z.enum(jiraDeployments),
    baseUrl: z.string(),
    auth: ZStoredAuth,
    projectKey: z.string(),
    issueType: z.string(),
    allowPrivateNetwork: z.boolean(),
    timeoutMs: z.number(),
    oauthAuthorizeUrl: z.string(),
    apiGatewayUrl: z.string(),
    mapping: ZJiraMapping,
    remote: ZRemoteFacts.default({}),
  })
  .loose();
export type StoredSettings = z.output<typeof ZStoredSettings>;

const ZOAuthTokens = z.object({ accessToken: z.string(), refreshToken: z.string(), expiresAt: z.number(), scope: z.string().optional() });

export const ZStoredSecrets = z
  .object({
    apiToken: z.string(),
    token: z.string(),
    password: z.string(),
    clientSecret: z.string(),
    webhookSecret: z.string(),
    oauth: ZOAuthTokens,
  })
  .partial();
export type StoredSecrets = z.infer<typeof ZStoredSecrets>;

export const connectionSecretContext = (connectionId: string) => `connection:${connectionId}`;

export function sealSecrets(key: Buffer, connectionId: string, secrets: StoredSecrets): string {
  return sealSecret(key, JSON.stringify(secrets), connectionSecretContext(connectionId));
}

/** Throws when the key is not the one that sealed them (SWITCHBOARD_SECRET_KEY changed). */
export function openSecrets(key: Buffer, connectionId: string, sealed: string | null): StoredSecrets {
  if (!sealed) return {};
  return ZStoredSecrets.parse(JSON.parse(openSecret(key, sealed, connectionSecretContext(connectionId))));
}

/** Splits a validated connection into what may be shown and what must be sealed. */
export function splitConnection(connection: JiraConnection, mapping: JiraMapping, remote: RemoteFacts, keep: Pick<StoredSecrets, "oauth"> = {}): { settings: StoredSettings; secrets: StoredSecrets } {
  const a = connection.auth;
  const auth: StoredAuth =
    a.kind === "api_token"
      ? { kind: "api_token", email: a.email }
      : a.kind === "pat"
        ? { kind: "pat" }
        : a.kind === "basic"
          ? { kind: "basic", username: a.username }
          : { kind: "oauth", clientId: a.clientId, ...(a.cloudId ? { cloudId: a.cloudId } : {}) };
  const secrets: StoredSecrets =
    a.kind === "api_token" ? { apiToken: a.apiToken } : a.kind === "pat" ? { token: a.token } : a.kind === "basic" ? { password: a.password } : { clientSecret: a.clientSecret, ...keep };
  if (connection.webhookSecret) secrets.webhookSecret = connection.webhookSecret;
  return {
    settings: {
      deployment: connection.deployment,
      baseUrl: connection.baseUrl,
      auth,
      projectKey: connection.projectKey,
      issueType: connection.issueType,
      allowPrivateNetwork: connection.allowPrivateNetwork,
      timeoutMs: connection.timeoutMs,
      oauthAuthorizeUrl: connection.oauthAuthorizeUrl,
      apiGatewayUrl: connection.apiGatewayUrl,
      mapping,
      remote,
    },
    secrets,
  };
}

/** The stored halves back together, as the client takes them. */
export function joinConnection(settings: StoredSettings, secrets: StoredSecrets): JiraConnection {
  const a = settings.auth;
  const auth: JiraAuth =
    a.kind === "api_token"
      ? { kind: "api_token", email: a.email, apiToken: secrets.apiToken ?? "" }
      : a.kind === "pat"
        ? { kind: "pat", token: secrets.token ?? "" }
        : a.kind === "basic"
          ? { kind: "basic", username: a.username, password: secrets.password ?? "" }
          : { kind: "oauth", clientId: a.clientId, clientSecret: secrets.clientSecret ?? "", ...(a.cloudId ? { cloudId: a.cloudId } : {}) };
  return ZJiraConnection.parse({
    deployment: settings.deployment,
    baseUrl: settings.baseUrl,
    auth,
    projectKey: settings.projectKey,
    issueType: settings.issueType,
    allowPrivateNetwork: settings.allowPrivateNetwork,
    timeoutMs: settings.timeoutMs,
    oauthAuthorizeUrl: settings.oauthAuthorizeUrl,
    apiGatewayUrl: settings.apiGatewayUrl,
    ...(secrets.webhookSecret ? { webhookSecret: secrets.webhookSecret } : {}),
  });
}

export type { OAuthTokens };
