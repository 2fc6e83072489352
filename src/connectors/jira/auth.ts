import type { JiraConnection } from "./config.js";
import { JiraError } from "./errors.js";
import { createAtlassianOAuth, createOAuthAuthorizer, type AtlassianOAuth, type OAuthTokenStore } from "./oauth.js";
import type { JiraAuthorizer } from "./transport.js";

export type JiraAuthDeps = {
  /** Required for OAuth connections: where the rotating tokens are kept. */
  oauthStore?: OAuthTokenStore;
  fetch?: typeof fetch;
  now?: () => Date;
};

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`, "utf8").toString("base64")}`;

function sameSite(a: string, b: string): boolean {
  try {
    return new URL(a).host.toLowerCase() === new URL(b).host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * The Authorization header and API base of a connection. OAuth calls go through the gateway at
 * `{apiGatewayUrl}/ex/jira/{cloudId}`, never the site itself (PROTOCOLS.md §1.1); the cloud id is
 * looked up once from accessible-resources when the connection does not store it.
 */
export function connectionAccess(connection: JiraConnection, deps: JiraAuthDeps): { authorizer: JiraAuthorizer; apiBase: () => Promise<string>; oauth?: AtlassianOAuth } {
  const auth = connection.auth;
  switch (auth.kind) {
    case "api_token": {
      const header = basic(auth.email, auth.apiToken);
      return { authorizer: { header: async () => header }, apiBase: async () => connection.baseUrl };
    }
    case "basic": {
      const header = basic(auth.username, auth.password);
      return { authorizer: { header: async () => header }, apiBase: async () => connection.baseUrl };
    }
    case "pat": {
      const header = `Bearer ${auth.token}`;
      return { authorizer: { header: async () => header }, apiBase: async () => connection.baseUrl };
    }
    case "oauth": {
      const store = deps.oauthStore;
      if (!store) throw new JiraError("config_invalid", "an OAuth connection needs a token store");
      const oauth = createAtlassianOAuth({
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        authBaseUrl: connection.oauthAuthorizeUrl,
        apiGatewayUrl: connection.apiGatewayUrl,
        allowPrivateNetwork: connection.allowPrivateNetwork,
        timeoutMs: connection.timeoutMs,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
        ...(deps.now ? { now: deps.now } : {}),
      });
      const authorizer = createOAuthAuthorizer({ oauth, store, ...(deps.now ? { now: deps.now } : {}) });
      let cloudId = auth.cloudId;
      const apiBase = async () => {
        if (!cloudId) {
          const token = (await authorizer.header()).replace(/^Bearer /, "");
          const sites = await oauth.accessibleResources(token);
          // Order is meaningless (PROTOCOLS.md §1.5): match the configured site, never take the first.
          const site = sites.find((s) => sameSite(s.url, connection.baseUrl));
          if (!site) throw new JiraError("config_invalid", `this OAuth grant does not reach ${connection.baseUrl} (it reaches ${sites.map((s) => s.url).join(", ") || "no site"})`);
          cloudId = site.id;
        }
        return `${connection.apiGatewayUrl}/ex/jira/${cloudId}`;
      };
      return { authorizer, apiBase, oauth };
    }
  }
}
