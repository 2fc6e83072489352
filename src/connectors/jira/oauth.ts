import * as oauth from "oauth4webapi";
import { z } from "zod";
import { AppError } from "../../errors.js";
import { assertOutboundUrl } from "../../net/outboundUrl.js";
import { JiraError } from "./errors.js";
import type { JiraAuthorizer } from "./transport.js";

/** What a connection keeps after consent. The refresh token changes on every refresh (rotation). */
export type OAuthTokens = {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  scope?: string;
};

/**
 * Where a connection's tokens live. `save` must be durable before the new access token is used:
 * Atlassian invalidated the previous refresh token the moment it answered (PROTOCOLS.md §1.5).
 */
export interface OAuthTokenStore {
  load(): Promise<OAuthTokens | null>;
  save(tokens: OAuthTokens): Promise<void>;
  /**
   * Serialises refreshes across processes (a row lock on the connection). Without it only this
   * process's refreshes are serialised, which is enough for a single process.
   */
  exclusive?<T>(fn: () => Promise<T>): Promise<T>;
}

export type AccessibleResource = { id: string; name: string; url: string; scopes: string[] };

/** The operation name a refused refresh carries: the grant was revoked, rotated away or expired. */
export const OAUTH_REFRESH = "OAuth refresh";

/** The classic scopes the connector needs, plus offline_access for a refresh token. */
export const jiraOAuthScopes = ["read:jira-work", "write:jira-work", "read:jira-user", "manage:jira-webhook", "offline_access"] as const;

export type AtlassianOAuthOptions = {
  clientId: string;
  clientSecret: string;
  /** `https://auth.atlassian.com` in production. */
  authBaseUrl: string;
  /** `https://api.atlassian.com` in production. */
  apiGatewayUrl: string;
  allowPrivateNetwork: boolean;
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => Date;
};

const ZResources = z.array(z.object({ id: z.string(), name: z.string(), url: z.string(), scopes: z.array(z.string()).default([]) }).loose());

/**
 * Atlassian OAuth 2.0 (3LO) with oauth4webapi. It sends RFC 6749 form-encoded token requests with
 * client_secret_post; Atlassian's examples send the same fields as JSON, and its server accepts
 * both (PROTOCOLS.md §1.5 and the 3p clients it cites).
 */
export function createAtlassianOAuth(options: AtlassianOAuthOptions) {
  const as: oauth.AuthorizationServer = {
    issuer: options.authBaseUrl,
    authorization_endpoint: `${options.authBaseUrl}/authorize`,
    token_endpoint: `${options.authBaseUrl}/oauth/token`,
  };
  const client: oauth.Client = { client_id: options.clientId };
  const clientAuth = oauth.ClientSecretPost(options.clientSecret);
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());

  const guardedFetch = async (url: string, init: RequestInit): Promise<Response> => {
    try {
      await assertOutboundUrl(url, { allowPrivate: options.allowPrivateNetwork, field: "oauth" });
    } catch (e) {
      if (e instanceof AppError) throw new JiraError("config_invalid", `OAuth: ${e.message}`, { cause: e });
      throw e;
    }
    const timeout = AbortSignal.timeout(options.timeoutMs);
    try {
      return await doFetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
    } catch (e) {
      throw new JiraError("remote_down", `OAuth: ${new URL(url).host} did not answer (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
  };
  const requestOptions = {
    [oauth.customFetch]: (url: string, init: oauth.CustomFetchOptions<string, unknown>) => guardedFetch(url, init as RequestInit),
    // Only tests point these at plain http; production URLs are https.
    [oauth.allowInsecureRequests]: options.authBaseUrl.startsWith("http:"),
  };

  const toTokens = (res: oauth.TokenEndpointResponse, previousRefresh?: string): OAuthTokens => {
    const refreshToken = res.refresh_token ?? previousRefresh;
    if (!refreshToken) throw new JiraError("auth_failed", "Atlassian issued no refresh token; the app must request offline_access");
    return {
      accessToken: res.access_token,
      refreshToken,
      expiresAt: now().getTime() + (res.expires_in ?? 3600) * 1000,
      ...(res.scope === undefined ? {} : { scope: res.scope }),
    };
  };

  const classify = (e: unknown, what: string): never => {
    if (e instanceof JiraError) throw e;
    if (e instanceof oauth.ResponseBodyError) {
      const detail = e.error_description ? `${e.error}: ${e.error_description}` : e.error;
      if (e.status === 429) throw new JiraError("rate_limited", `${what}: rate limited`, { status: 429, cause: e });
      if (e.status >= 500) throw new JiraError("remote_down", `${what}: Atlassian answered ${e.status}`, { status: e.status, cause: e });
      // invalid_grant / unauthorized_client: the refresh token was rotated away, revoked or expired.
      // The operation tells a withdrawn grant (refresh refused: the connection is revoked) from a bad call.
      throw new JiraError("auth_failed", `${what}: Atlassian refused (${detail}); reconnect Jira`, { status: e.status, messages: [detail], operation: what, cause: e });
    }
    throw new JiraError("remote_down", `${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  };

  return {
    /** The consent URL (PROTOCOLS.md §1.5) with PKCE; the caller keeps `state` and the verifier. */
    async authorizeUrl(input: { redirectUri: string; state: string; codeVerifier: string; scopes?: readonly string[] }): Promise<string> {
      const url = new URL(as.authorization_endpoint!);
      url.searchParams.set("audience", "api.atlassian.com");
      url.searchParams.set("client_id", options.clientId);
      url.searchParams.set("scope", (input.scopes ?? jiraOAuthScopes).join(" "));
      url.searchParams.set("redirect_uri", input.redirectUri);
      url.searchParams.set("state", input.state);
      url.searchParams.set("response_type", "code");
      url.searchParams.set("prompt", "consent");
      url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(input.codeVerifier));
      url.searchParams.set("code_challenge_method", "S256");
      return url.toString();
    },

    /** Exchanges the callback's code, after checking its state. */
    async exchangeCallback(input: { callbackUrl: URL; expectedState: string; redirectUri: string; codeVerifier: string }): Promise<OAuthTokens> {
      try {
        const params = oauth.validateAuthResponse(as, client, input.callbackUrl, input.expectedState);
        const res = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, input.redirectUri, input.codeVerifier, requestOptions);
        return toTokens(await oauth.processAuthorizationCodeResponse(as, client, res));
      } catch (e) {
        return classify(e, "OAuth code exchange");
      }
    },

    async refresh(refreshToken: string): Promise<OAuthTokens> {
      try {
        const res = await oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, requestOptions);
        return toTokens(await oauth.processRefreshTokenResponse(as, client, res), refreshToken);
      } catch (e) {
        return classify(e, OAUTH_REFRESH);
      }
    },

    /** The sites this token reaches; their `id` is the cloud id API calls are routed by. */
    async accessibleResources(accessToken: string): Promise<AccessibleResource[]> {
      const url = `${options.apiGatewayUrl}/oauth/token/accessible-resources`;
      const res = await guardedFetch(url, { headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" }, redirect: "error" });
      if (res.status === 401 || res.status === 403) throw new JiraError("auth_failed", `accessible-resources: Atlassian answered ${res.status}`, { status: res.status });
      if (!res.ok) throw new JiraError(res.status === 429 ? "rate_limited" : "remote_down", `accessible-resources: Atlassian answered ${res.status}`, { status: res.status });
      const parsed = ZResources.safeParse(await res.json().catch(() => null));
      if (!parsed.success) throw new JiraError("bad_request", "accessible-resources: unexpected answer");
      return parsed.data.map((r) => ({ id: r.id, name: r.name, url: r.url, scopes: r.scopes }));
    },
  };
}

export type AtlassianOAuth = ReturnType<typeof createAtlassianOAuth>;

/**
 * Bearer tokens for API calls: refreshed shortly before expiry or after a 401, one refresh at a
 * time. A refresh first re-reads the store, since another process may already have rotated the
 * token, and using the old refresh token again would revoke the whole grant.
 */
export function createOAuthAuthorizer(input: { oauth: Pick<AtlassianOAuth, "refresh">; store: OAuthTokenStore; now?: () => Date; skewSeconds?: number }): JiraAuthorizer {
  const now = input.now ?? (() => new Date());
  const skewMs = (input.skewSeconds ?? 60) * 1000;
  let current: OAuthTokens | null = null;
  let inflight: Promise<OAuthTokens> | null = null;

  const load = async () => {
    current ??= await input.store.load();
    if (!current) throw new JiraError("auth_failed", "Jira is not connected: no OAuth tokens stored");
    return current;
  };

  const refreshFrom = (stale: OAuthTokens): Promise<OAuthTokens> => {
    inflight ??= (async () => {
      const run = async () => {
        const latest = await input.store.load();
        if (latest && latest.refreshToken !== stale.refreshToken) return latest;
        const fresh = await input.oauth.refresh(stale.refreshToken);
        await input.store.save(fresh);
        return fresh;
      };
      try {
        current = await (input.store.exclusive ? input.store.exclusive(run) : run());
        return current;
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  };

  return {
    async header() {
      let tokens = await load();
      if (tokens.expiresAt - skewMs <= now().getTime()) tokens = await refreshFrom(tokens);
      return `Bearer ${tokens.accessToken}`;
    },
    async renewAfter401(refused) {
      const tokens = await load();
      if (`Bearer ${tokens.accessToken}` !== refused) return true;
      await refreshFrom(tokens);
      return true;
    },
  };
}
