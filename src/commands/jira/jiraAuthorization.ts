import { createHash, randomBytes } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import * as oauth4 from "oauth4webapi";
import type { Db } from "../../db/client.js";
import { findConnection, findConnectionById, updateConnection, type ConnectionRow } from "../../db/repositories/connections.js";
import { oauthStates } from "../../db/schema/index.js";
import { openSecret, sealSecret } from "../../crypto/secretBox.js";
import { JIRA_SYSTEM } from "../../connectors/jira/constants.js";
import { isJiraError } from "../../connectors/jira/errors.js";
import type { JiraSettings } from "../../connectors/jira/jiraSettings.js";
import { createAtlassianOAuth } from "../../connectors/jira/oauth.js";
import { openSecrets, sealSecrets, ZStoredSettings } from "../../connectors/jira/storedConnection.js";
import { AppError } from "../../errors.js";
import type { Actor } from "../../policies/actor.js";
import { queueDynamicWebhookCheck } from "../../connectors/jira/jobs/dynamicWebhooksJob.js";
import { resumeJiraConnection } from "./resumeJiraConnection.js";

const STATE_TTL_MS = 10 * 60_000;
export const JIRA_CALLBACK_PATH = "/api/v1/connections/jira/callback";

const hashState = (state: string) => createHash("sha256").update(state).digest("hex");
const verifierContext = (stateHash: string) => `oauth-state:${stateHash}`;

function oauthOf(row: ConnectionRow, secretKey: Buffer) {
  const settings = ZStoredSettings.parse(row.settings);
  if (settings.auth.kind !== "oauth") throw new AppError("CONFLICT", "the Jira connection does not use OAuth; PUT /api/v1/connections/jira with auth.kind oauth first");
  const clientSecret = openSecrets(secretKey, row.id, row.sealedSecrets).clientSecret;
  if (!clientSecret) throw new AppError("CONFLICT", "the Jira connection has no OAuth client secret");
  return {
    settings,
    oauth: createAtlassianOAuth({
      clientId: settings.auth.clientId,
      clientSecret,
      authBaseUrl: settings.oauthAuthorizeUrl,
      apiGatewayUrl: settings.apiGatewayUrl,
      allowPrivateNetwork: settings.allowPrivateNetwork,
      timeoutMs: settings.timeoutMs,
    }),
  };
}

/**
 * Starts Atlassian's consent (OAuth 2.0 3LO with PKCE): a random state, whose hash is stored with
 * the sealed PKCE verifier for ten minutes, bound to the admin who asked. Returns the URL to send
 * the admin's browser to.
 */
export async function startJiraAuthorization(options: { db: Db; settings: JiraSettings; actor: Actor }): Promise<string> {
  const row = await findConnection(options.db, JIRA_SYSTEM);
  if (!row) throw new AppError("NOT_FOUND", "no Jira connection; PUT /api/v1/connections/jira first");
  const { oauth } = oauthOf(row, options.settings.secretKey);
  const state = randomBytes(32).toString("base64url");
  const codeVerifier = oauth4.generateRandomCodeVerifier();
  const stateHash = hashState(state);
  const now = new Date();
  await options.db.transaction(async (tx) => {
    await tx.delete(oauthStates).where(lt(oauthStates.expiresAt, now));
    await tx.insert(oauthStates).values({
      stateHash,
      connectionId: row.id,
      sealedVerifier: sealSecret(options.settings.secretKey, codeVerifier, verifierContext(stateHash)),
      createdById: options.actor.id,
      expiresAt: new Date(now.getTime() + STATE_TTL_MS),
    });
  });
  return oauth.authorizeUrl({ redirectUri: `${options.settings.publicUrl}${JIRA_CALLBACK_PATH}`, state, codeVerifier });
}

/**
 * Atlassian's redirect back: the state must be one we issued, unexpired, unspent, to this admin;
 * the code is exchanged with the PKCE verifier; the cloud id is the accessible-resources site
 * whose URL is the connection's site (their order means nothing); the tokens are sealed into the
 * connection, which becomes active.
 */
export async function completeJiraAuthorization(options: { db: Db; settings: JiraSettings; actor: Actor; query: Record<string, string | undefined>; rawQuery: string }): Promise<ConnectionRow> {
  const { db, settings, query } = options;
  if (!query.state) throw new AppError("BAD_REQUEST", "the callback has no state");
  const stateHash = hashState(query.state);
  const [spent] = await db.delete(oauthStates).where(and(eq(oauthStates.stateHash, stateHash))).returning();
  if (!spent || spent.expiresAt.getTime() < Date.now()) throw new AppError("BAD_REQUEST", "this authorization is unknown, used or expired; start again at /api/v1/connections/jira/authorize");
  if (spent.createdById !== options.actor.id) throw new AppError("FORBIDDEN", "this authorization was started by another admin");
  if (query.error) throw new AppError("BAD_REQUEST", `Atlassian did not authorize: ${query.error}${query.error_description ? ` (${query.error_description})` : ""}`);
  const row = await findConnectionById(db, spent.connectionId);
  if (!row) throw new AppError("NOT_FOUND", "the Jira connection was deleted meanwhile");
  const { oauth, settings: stored } = oauthOf(row, settings.secretKey);
  const redirectUri = `${settings.publicUrl}${JIRA_CALLBACK_PATH}`;
  const codeVerifier = openSecret(settings.secretKey, spent.sealedVerifier, verifierContext(stateHash));
  let tokens;
  let sites;
  try {
    tokens = await oauth.exchangeCallback({ callbackUrl: new URL(`${redirectUri}?${options.rawQuery}`), expectedState: query.state, redirectUri, codeVerifier });
    sites = await oauth.accessibleResources(tokens.accessToken);
  } catch (e) {
    if (isJiraError(e)) throw new AppError(e.kind === "remote_down" || e.kind === "rate_limited" ? "UNAVAILABLE" : "BAD_REQUEST", `Atlassian refused the authorization: ${e.message}`);
    if (e instanceof Error) throw new AppError("BAD_REQUEST", `the callback is not a valid authorization response: ${e.message}`);
    throw e;
  }
  const host = (u: string) => {
    try {
      return new URL(u).host.toLowerCase();
    } catch {
      return "";
    }
  };
  const site = sites.find((s) => host(s.url) === host(stored.baseUrl));
  if (!site) throw new AppError("UNPROCESSABLE", `this consent does not reach ${stored.baseUrl}; it reaches ${sites.map((s) => s.url).join(", ") || "no Jira site"}. Consent for the right site, or change baseUrl`);
  const secrets = openSecrets(settings.secretKey, row.id, row.sealedSecrets);
  const auth = stored.auth.kind === "oauth" ? { ...stored.auth, cloudId: site.id } : stored.auth;
  return db.transaction(async (tx) => {
    const saved = await updateConnection(tx, row.id, {
      settings: { ...stored, auth } as unknown as Record<string, unknown>,
      sealedSecrets: sealSecrets(settings.secretKey, row.id, { ...secrets, oauth: tokens }),
      status: "active",
      lastError: null,
      updatedAt: new Date(),
    });
    if (row.status !== "active") await resumeJiraConnection(tx, row.id);
    // An OAuth app has no admin webhook: register its dynamic webhook now (dynamicWebhooks.ts).
    await queueDynamicWebhookCheck(tx, row.id);
    return saved!;
  });
}
