import { randomUUID } from "node:crypto";
import type { Db } from "../../db/client.js";
import { findConnection, insertConnection, pausedStatuses, updateConnection, type ConnectionRow, DEFAULT_CONNECTION_NAME } from "../../db/repositories/connections.js";
import { checkJiraConnection, type ConnectionReport } from "../../connectors/jira/checkConnection.js";
import { ZJiraConnection, type JiraDeployment } from "../../connectors/jira/config.js";
import type { JiraSettings } from "../../connectors/jira/jiraSettings.js";
import type { JiraMapping } from "../../connectors/jira/mapping.js";
import { transientJiraClient } from "../../connectors/jira/runtime.js";
import { openSecrets, sealSecrets, splitConnection, ZStoredSettings, type StoredSecrets } from "../../connectors/jira/storedConnection.js";
import { AppError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { JIRA_SYSTEM } from "../../connectors/jira/constants.js";
import { resumeJiraConnection } from "./resumeJiraConnection.js";

/** What an admin sends. Secrets are write-only: left out, the stored one is kept. */
export type JiraConnectionBody = {
  deployment: JiraDeployment;
  baseUrl: string;
  auth:
    | { kind: "api_token"; email: string; apiToken?: string | undefined }
    | { kind: "pat"; token?: string | undefined }
    | { kind: "basic"; username: string; password?: string | undefined }
    | { kind: "oauth"; clientId: string; clientSecret?: string | undefined };
  projectKey: string;
  issueType?: string | undefined;
  /** null removes it. */
  webhookSecret?: string | null | undefined;
  allowPrivateNetwork?: boolean | undefined;
  timeoutMs?: number | undefined;
  oauthAuthorizeUrl?: string | undefined;
  apiGatewayUrl?: string | undefined;
  mapping?: JiraMapping | undefined;
};

export const AWAITING_AUTHORIZATION = "awaiting_authorization";

function mergedSecrets(body: JiraConnectionBody, existing: ConnectionRow | undefined, stored: StoredSecrets): Record<string, string> {
  const a = body.auth;
  const sameKind = existing && (existing.settings as { auth?: { kind?: unknown } }).auth?.kind === a.kind;
  const keep = (given: string | undefined, old: string | undefined) => given ?? (sameKind ? old : undefined) ?? "";
  switch (a.kind) {
    case "api_token":
      return { apiToken: keep(a.apiToken, stored.apiToken) };
    case "pat":
      return { token: keep(a.token, stored.token) };
    case "basic":
      return { password: keep(a.password, stored.password) };
    case "oauth":
      return { clientSecret: keep(a.clientSecret, stored.clientSecret) };
  }
}

/**
 * Creates or replaces the Jira connection. The settings and the mapping are checked by their
 * schemas and then against Jira itself (credentials, project, issue type, status ids, fields on
 * the create screen), so a mapping Jira would refuse is rejected here, in words, instead of
 * failing every sync later. An OAuth connection without tokens is saved unchecked and waits for
 * an admin's consent. Saving a paused connection that now checks out resumes its work.
 */
export async function saveJiraConnection(options: { db: Db; settings: JiraSettings; body: JiraConnectionBody; log?: Logger }): Promise<{ row: ConnectionRow; report: ConnectionReport | null }> {
  const { db, settings, body } = options;
  const existing = await findConnection(db, JIRA_SYSTEM);
  const stored = existing ? openStoredSecrets(settings.secretKey, existing) : {};
  const secrets = mergedSecrets(body, existing, stored);
  const parsed = ZJiraConnection.safeParse({
    deployment: body.deployment,
    baseUrl: body.baseUrl,
    auth: { ...body.auth, ...secrets },
    projectKey: body.projectKey,
    issueType: body.issueType,
    webhookSecret: body.webhookSecret === null ? undefined : (body.webhookSecret ?? stored.webhookSecret),
    allowPrivateNetwork: body.allowPrivateNetwork,
    timeoutMs: body.timeoutMs,
    oauthAuthorizeUrl: body.oauthAuthorizeUrl,
    apiGatewayUrl: body.apiGatewayUrl,
  });
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ field: `body.${i.path.join(".")}`, message: secretField(i.path) && i.code === "too_small" ? "is required (it is not stored yet)" : i.message }));
    throw new AppError("UNPROCESSABLE", errors.map((e) => `${e.field}: ${e.message}`).join("; "), { errors, field: errors[0]?.field });
  }
  const connection = parsed.data;
  const mapping = body.mapping ?? (existing ? ZStoredSettings.shape.mapping.parse((existing.settings as { mapping?: unknown }).mapping ?? {}) : ZStoredSettings.shape.mapping.parse({}));
  const previous = existing ? ZStoredSettings.safeParse(existing.settings) : undefined;
  const oldAuth = previous?.success ? previous.data.auth : undefined;
  // Tokens belong to one OAuth app and one site: a new client id or site needs a new consent.
  const keepTokens =
    connection.auth.kind === "oauth" && oldAuth?.kind === "oauth" && oldAuth.clientId === connection.auth.clientId && previous?.success && previous.data.baseUrl === connection.baseUrl && stored.oauth;
  if (connection.auth.kind === "oauth" && keepTokens && oldAuth?.kind === "oauth" && oldAuth.cloudId) connection.auth.cloudId = oldAuth.cloudId;

  let report: ConnectionReport | null = null;
  let status = "active";
  let lastError: string | null = null;
  if (connection.auth.kind === "oauth" && !keepTokens) {
    status = AWAITING_AUTHORIZATION;
    lastError = "authorize Switchboard in Jira: GET /api/v1/connections/jira/authorize";
  } else {
    const client = transientJiraClient(db, connection, { secretKey: settings.secretKey, ...(existing ? { connectionId: existing.id } : {}), ...(options.log ? { log: options.log } : {}) });
    report = await checkJiraConnection(client, connection, mapping);
    const failed = report.checks.filter((c) => c.result === "failed");
    if (report.failure === "remote_down" || report.failure === "rate_limited") {
      throw new AppError("UNAVAILABLE", `Jira could not be reached to check the connection, so nothing was saved: ${failed.map((c) => c.message).join("; ")}`, { checks: report.checks });
    }
    if (failed.length > 0) {
      throw new AppError("UNPROCESSABLE", `Jira does not accept this connection: ${failed.map((c) => c.message).join("; ")}`, { checks: report.checks, field: "body" });
    }
  }

  const id = existing?.id ?? randomUUID();
  const { settings: storedSettings, secrets: storedSecrets } = splitConnection(connection, mapping, report?.remote ?? (previous?.success ? previous.data.remote : {}), keepTokens ? { oauth: stored.oauth! } : {});
  const sealed = sealSecrets(settings.secretKey, id, storedSecrets);
  const now = new Date();
  const row = await db.transaction(async (tx) => {
    // Keys the connection form does not own (customer links, registered webhooks) survive a save.
    const kept = Object.fromEntries(Object.entries(existing?.settings ?? {}).filter(([k]) => !(k in storedSettings)));
    const values = { settings: { ...kept, ...(storedSettings as unknown as Record<string, unknown>) }, sealedSecrets: sealed, status, lastError, ...(lastError ? { lastErrorAt: now } : {}), updatedAt: now };
    const saved = existing
      ? await updateConnection(tx, id, values)
      : await insertConnection(tx, { id, system: JIRA_SYSTEM, name: DEFAULT_CONNECTION_NAME, ...values });
    if (!saved) throw new AppError("CONFLICT", "the Jira connection changed meanwhile; try again");
    if (existing && (pausedStatuses as readonly string[]).includes(existing.status) && status === "active") await resumeJiraConnection(tx, saved.id);
    return saved;
  });
  return { row, report };
}

const secretField = (path: PropertyKey[]) => path[0] === "auth" && ["apiToken", "token", "password", "clientSecret"].includes(String(path[1]));

function openStoredSecrets(key: Buffer, row: ConnectionRow): StoredSecrets {
  try {
    return openSecrets(key, row.id, row.sealedSecrets);
  } catch {
    // Sealed under another SWITCHBOARD_SECRET_KEY: the admin has to give every secret again.
    return {};
  }
}
