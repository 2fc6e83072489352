import { z } from "zod";
import type { ConnectionRow } from "../db/repositories/connections.js";
import { connectionCheckNames, type ConnectionReport } from "../connectors/jira/checkConnection.js";
import { openSecrets, ZStoredSettings, type StoredSecrets } from "../connectors/jira/storedConnection.js";

const ZCheck = z.object({ name: z.enum(connectionCheckNames), result: z.enum(["ok", "failed", "skipped"]), message: z.string() }).meta({ id: "ConnectionCheck" });

export const ZConnectionReport = z.object({ ok: z.boolean(), checks: z.array(ZCheck) }).meta({ id: "ConnectionReport" });

export const ZJiraConnectionView = z
  .object({
    id: z.uuid(),
    system: z.literal("jira"),
    status: z.string().meta({ description: "active | awaiting_authorization | auth_failed | revoked | mapping_invalid | config_invalid: anything but active means sync waits for an admin." }),
    lastError: z.string().nullable(),
    lastErrorAt: z.iso.datetime().nullable(),
    lastSyncAt: z.iso.datetime().nullable(),
    syncedUntil: z.iso.datetime().nullable().meta({ description: "The reconcile poll's watermark." }),
    updatedAt: z.iso.datetime(),
    settings: z.record(z.string(), z.unknown()).meta({ description: "Everything but the secrets: deployment, baseUrl, auth (kind, email/username/clientId, cloudId), projectKey, issueType, mapping, …" }),
    secrets: z
      .object({ apiToken: z.boolean(), token: z.boolean(), password: z.boolean(), clientSecret: z.boolean(), webhookSecret: z.boolean(), oauthTokens: z.boolean() })
      .meta({ description: "Which secrets are stored. Their values are write-only and never returned." }),
    webhookUrl: z.string().meta({ description: "Where to point the Jira webhook." }),
    report: ZConnectionReport.optional(),
    webhookBacklog: z
      .object({ waiting: z.number().int(), oldestReceivedAt: z.iso.datetime().nullable() })
      .optional()
      .meta({ description: "Webhook deliveries stored and not yet processed (GET only): a number that keeps growing means the workers are not keeping up, or not running." }),
  })
  .meta({ id: "JiraConnection" });
export type JiraConnectionView = z.infer<typeof ZJiraConnectionView>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Never a secret: only whether each is set. */
export function presentJiraConnection(
  row: ConnectionRow,
  secretKey: Buffer,
  publicUrl: string,
  report?: ConnectionReport | null,
  backlog?: { waiting: number; oldestReceivedAt: Date | null },
): JiraConnectionView {
  let secrets: StoredSecrets = {};
  try {
    secrets = openSecrets(secretKey, row.id, row.sealedSecrets);
  } catch {
    // Sealed under another key: shown as not set, which is what the connection can use.
  }
  const parsed = ZStoredSettings.safeParse(row.settings);
  return {
    id: row.id,
    system: "jira",
    status: row.status,
    lastError: row.lastError,
    lastErrorAt: iso(row.lastErrorAt),
    lastSyncAt: iso(row.lastSyncAt),
    syncedUntil: iso(row.syncedUntil),
    updatedAt: row.updatedAt.toISOString(),
    settings: parsed.success ? (parsed.data as unknown as Record<string, unknown>) : row.settings,
    secrets: {
      apiToken: !!secrets.apiToken,
      token: !!secrets.token,
      password: !!secrets.password,
      clientSecret: !!secrets.clientSecret,
      webhookSecret: !!secrets.webhookSecret,
      oauthTokens: !!secrets.oauth,
    },
    webhookUrl: `${publicUrl}/webhooks/jira`,
    ...(report ? { report: { ok: report.checks.every((c) => c.result === "ok"), checks: report.checks } } : {}),
    ...(backlog ? { webhookBacklog: { waiting: backlog.waiting, oldestReceivedAt: iso(backlog.oldestReceivedAt) } } : {}),
  };
}
