import { createHash, randomBytes } from "node:crypto";
import type { Answer } from "./handlers.js";

/**
 * Atlassian's OAuth 2.0 (3LO) endpoints as PROTOCOLS.md §1.5 describes them: /authorize, the
 * /oauth/token grant (JSON as in Atlassian's examples, or RFC 6749 form encoding), rotating
 * refresh tokens, 1 h access tokens, and accessible-resources. Reusing a rotated refresh token is
 * refused and, as Atlassian describes for reuse outside its leeway, revokes the whole grant.
 */

export type FakeOAuthOptions = {
  clientId: string;
  clientSecret: string;
  accessTokenTtlSeconds?: number;
  /** Atlassian tolerates reuse for 10 minutes; the fake defaults to none so rotation is strict. */
  reuseLeewaySeconds?: number;
};

type Grant = { id: number; revoked: boolean; scope: string };
type RefreshToken = { grant: Grant; rotatedAt: number | null };
type AccessToken = { grant: Grant; expiresAt: number };
type Code = { clientId: string; redirectUri: string; scope: string; challenge: string | null; used: boolean };

const token = (prefix: string) => `${prefix}-${randomBytes(18).toString("base64url")}`;
const oauthError = (status: number, error: string, description: string): Answer => ({ status, json: { error, error_description: description } });

export class FakeOAuth {
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly codes = new Map<string, Code>();
  private nextGrant = 1;
  /** Every token-endpoint call, for assertions (grant type and refresh token used). */
  readonly tokenRequests: { grantType: string; refreshToken?: string; contentType: string; status: number }[] = [];

  constructor(
    readonly options: FakeOAuthOptions,
    private readonly now: () => Date,
    readonly site: { cloudId: string; url: string; name: string },
  ) {}

  /** A consented grant, as if a user had clicked through /authorize and the code was exchanged. */
  grant(scope = "read:jira-work write:jira-work read:jira-user manage:jira-webhook offline_access"): { accessToken: string; refreshToken: string; expiresIn: number } {
    const grant: Grant = { id: this.nextGrant++, revoked: false, scope };
    return this.issue(grant);
  }

  /** Makes every access token expire now, so the next API call answers 401. */
  expireAccessTokens(): void {
    for (const t of this.accessTokens.values()) t.expiresAt = 0;
  }

  revokeAll(): void {
    for (const t of this.refreshTokens.values()) t.grant.revoked = true;
  }

  private issue(grant: Grant) {
    const ttl = this.options.accessTokenTtlSeconds ?? 3600;
    const accessToken = token("at");
    const refreshToken = token("rt");
    this.accessTokens.set(accessToken, { grant, expiresAt: this.now().getTime() + ttl * 1000 });
    this.refreshTokens.set(refreshToken, { grant, rotatedAt: null });
    return { accessToken, refreshToken, expiresIn: ttl };
  }

  /** Whether a Bearer access token is live; used by the gateway routes. */
  checkAccessToken(value: string): "ok" | "expired" | "unknown" {
    const t = this.accessTokens.get(value);
    if (!t || t.grant.revoked) return "unknown";
    return t.expiresAt > this.now().getTime() ? "ok" : "expired";
  }

  authorize(query: URLSearchParams): Answer {
    const problems: string[] = [];
    if (query.get("audience") !== "api.atlassian.com") problems.push("audience must be api.atlassian.com");
    if (query.get("client_id") !== this.options.clientId) problems.push("unknown client_id");
    if (query.get("response_type") !== "code") problems.push("response_type must be code");
    const redirectUri = query.get("redirect_uri");
    if (!redirectUri) problems.push("redirect_uri is required");
    if (!query.get("scope")) problems.push("scope is required");
    const method = query.get("code_challenge_method");
    if (query.get("code_challenge") && method !== "S256") problems.push("code_challenge_method must be S256");
    if (problems.length > 0) return { status: 400, text: problems.join("; ") };
    const code = token("code");
    this.codes.set(code, { clientId: this.options.clientId, redirectUri: redirectUri!, scope: query.get("scope")!, challenge: query.get("code_challenge"), used: false });
    const location = new URL(redirectUri!);
    location.searchParams.set("code", code);
    if (query.get("state")) location.searchParams.set("state", query.get("state")!);
    return { status: 302, headers: { location: location.toString() } };
  }

  token(contentType: string, rawBody: string): Answer {
    let params: Record<string, string>;
    if (contentType.startsWith("application/json")) {
      try {
        params = JSON.parse(rawBody) as Record<string, string>;
      } catch {
        return oauthError(400, "invalid_request", "body is not JSON");
      }
    } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
      params = Object.fromEntries(new URLSearchParams(rawBody));
    } else {
      return oauthError(400, "invalid_request", `unsupported content type ${contentType}`);
    }
    const record = (status: number) => this.tokenRequests.push({ grantType: params.grant_type ?? "", ...(params.refresh_token ? { refreshToken: params.refresh_token } : {}), contentType, status });
    const answer = this.grantFor(params);
    record(answer.status);
    return answer;
  }

  private grantFor(params: Record<string, string>): Answer {
    if (params.client_id !== this.options.clientId || params.client_secret !== this.options.clientSecret) {
      return oauthError(401, "access_denied", "Unauthorized");
    }
    const success = (t: { accessToken: string; refreshToken: string; expiresIn: number }, scope: string): Answer => ({
      status: 200,
      json: { access_token: t.accessToken, refresh_token: t.refreshToken, expires_in: t.expiresIn, scope, token_type: "Bearer" },
    });
    if (params.grant_type === "authorization_code") {
      const code = params.code ? this.codes.get(params.code) : undefined;
      if (!code || code.used) return oauthError(403, "invalid_grant", "Invalid authorization code");
      code.used = true;
      if (code.redirectUri !== params.redirect_uri) return oauthError(403, "invalid_grant", "redirect_uri does not match");
      if (code.challenge) {
        const verifier = params.code_verifier ?? "";
        if (createHash("sha256").update(verifier).digest("base64url") !== code.challenge) return oauthError(403, "invalid_grant", "code_verifier does not match");
      }
      const grant: Grant = { id: this.nextGrant++, revoked: false, scope: code.scope };
      return success(this.issue(grant), code.scope);
    }
    if (params.grant_type === "refresh_token") {
      const current = params.refresh_token ? this.refreshTokens.get(params.refresh_token) : undefined;
      if (!current || current.grant.revoked) return oauthError(403, "unauthorized_client", "refresh_token is invalid");
      if (current.rotatedAt !== null) {
        const leeway = (this.options.reuseLeewaySeconds ?? 0) * 1000;
        if (this.now().getTime() - current.rotatedAt >= leeway) {
          current.grant.revoked = true;
          return oauthError(403, "unauthorized_client", "refresh_token is invalid");
        }
      }
      current.rotatedAt = this.now().getTime();
      return success(this.issue(current.grant), current.grant.scope);
    }
    return oauthError(400, "unsupported_grant_type", `grant_type ${params.grant_type ?? "(none)"} is not supported`);
  }

  accessibleResources(authorization: string | undefined): Answer {
    const bearer = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
    if (!bearer || this.checkAccessToken(bearer) !== "ok") return { status: 401, json: { code: 401, message: "Unauthorized" } };
    const scope = this.accessTokens.get(bearer)!.grant.scope;
    return { status: 200, json: [{ id: this.site.cloudId, name: this.site.name, url: this.site.url, scopes: scope.split(" ").filter((s) => s !== "offline_access"), avatarUrl: `${this.site.url}/avatar.png` }] };
  }
}
