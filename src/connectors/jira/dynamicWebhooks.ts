import { z } from "zod";
import type { Db } from "../../db/client.js";
import { findConnectionById, updateConnection } from "../../db/repositories/connections.js";
import { linkedRemotes } from "../../db/repositories/externalLinks.js";
import type { Logger } from "../../logger.js";
import { JiraError } from "./errors.js";
import type { JiraRuntime } from "./runtime.js";

/**
 * Dynamic webhooks for Jira Cloud OAuth (3LO) apps, which cannot use admin webhooks with a secret
 * (PROTOCOLS.md §2.1): registered with `POST /rest/api/3/webhook` (one URL per app, a JQL filter on
 * the projects), they expire after 30 days and are kept alive with `PUT /rest/api/3/webhook/refresh`.
 * Jira signs their deliveries with a JWT (webhookJwt.ts). What was registered is kept in the
 * connection's `settings.dynamicWebhooks`; Jira's own list is the truth, so a webhook that expired
 * or was removed there is registered again, and one registered by an earlier run whose record was
 * lost is adopted rather than duplicated.
 */

export const WEBHOOK_PATH = "/webhooks/jira";
/** The events the sync uses that a dynamic webhook may carry (no attachment events: the issue update covers them). */
export const dynamicWebhookEvents = ["jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created", "comment_updated", "comment_deleted"] as const;
/** Refreshed when fewer days than this remain (the daily job has a week of retries). */
export const REFRESH_WITHIN_MS = 7 * 24 * 3600_000;
const LIFETIME_MS = 30 * 24 * 3600_000;

const ZState = z.object({
  url: z.string(),
  jqlFilter: z.string(),
  ids: z.array(z.number()),
  expiresAt: z.string(),
  checkedAt: z.string(),
});
export type DynamicWebhookState = z.infer<typeof ZState>;

export function dynamicWebhookState(settings: unknown): DynamicWebhookState | null {
  const parsed = ZState.safeParse((settings as { dynamicWebhooks?: unknown } | null)?.dynamicWebhooks);
  return parsed.success ? parsed.data : null;
}

/** Only Cloud OAuth connections register webhooks; API-token and DC connections use an admin webhook. */
export function usesDynamicWebhooks(rt: Pick<JiraRuntime, "connection">): boolean {
  return rt.connection.deployment === "cloud" && rt.connection.auth.kind === "oauth";
}

/** `project = SUP`, or `project in (…)` with the projects of linked issues: the fields a dynamic filter may use. */
async function filterFor(db: Db, rt: JiraRuntime): Promise<string> {
  const projects = new Set([rt.connection.projectKey]);
  for (const r of await linkedRemotes(db, rt.row.id)) if (r.remoteKey) projects.add(r.remoteKey.replace(/-\d+$/, ""));
  const keys = [...projects].sort();
  return keys.length === 1 ? `project = ${keys[0]}` : `project in (${keys.join(", ")})`;
}

export type WebhookOutcome = { action: "not_applicable" | "unchanged" | "refreshed" | "registered" | "adopted"; ids: number[]; expiresAt: Date | null };

const sameEvents = (events: string[]) => events.length === dynamicWebhookEvents.length && dynamicWebhookEvents.every((e) => events.includes(e));

/**
 * Makes sure this connection's webhook is registered, current (URL, filter) and not about to
 * expire, and records it. Safe to run any number of times: it converges on one registration.
 */
export async function ensureDynamicWebhooks(db: Db, rt: JiraRuntime, options: { publicUrl: string; now: Date; log: Logger }): Promise<WebhookOutcome> {
  if (!usesDynamicWebhooks(rt)) return { action: "not_applicable", ids: [], expiresAt: null };
  const { client } = rt;
  const url = `${options.publicUrl.replace(/\/+$/, "")}${WEBHOOK_PATH}`;
  const jqlFilter = await filterFor(db, rt);
  const recorded = dynamicWebhookState(rt.row.settings);
  const ours = (await client.listDynamicWebhooks()).filter((w) => w.url === url);
  const current = ours.filter((w) => w.jqlFilter === jqlFilter && sameEvents(w.events));
  let action: WebhookOutcome["action"];
  let live = current;
  if (recorded && recorded.url === url && recorded.jqlFilter === jqlFilter && recorded.ids.length > 0 && recorded.ids.every((id) => current.some((w) => w.id === id))) {
    live = current.filter((w) => recorded.ids.includes(w.id));
    action = "unchanged";
  } else if (current.length > 0) {
    action = "adopted";
  } else {
    // Gone (expired or removed in Jira), never registered, or for another filter: one app has one URL,
    // so an outdated registration of ours is replaced, not kept beside the new one.
    const outdated = ours.map((w) => w.id);
    if (outdated.length > 0) await client.deleteDynamicWebhooks(outdated);
    const results = await client.registerDynamicWebhooks(url, [{ events: [...dynamicWebhookEvents], jqlFilter }]);
    const refused = results.flatMap((r) => ("errors" in r ? r.errors : []));
    if (refused.length > 0 || results.length === 0) throw new JiraError("bad_request", `Jira refused the webhook registration: ${refused.join("; ") || "no result"}`);
    const ids = results.flatMap((r) => ("id" in r ? [r.id] : []));
    live = (await client.listDynamicWebhooks()).filter((w) => ids.includes(w.id));
    if (live.length === 0) live = ids.map((id) => ({ id, url, events: [...dynamicWebhookEvents], jqlFilter, expiresAt: options.now.getTime() + LIFETIME_MS }));
    action = "registered";
    options.log.info({ connectionId: rt.row.id, ids, jqlFilter, replaced: outdated }, "Jira dynamic webhook registered");
  }
  const ids = live.map((w) => w.id);
  let expiresAt = Math.min(...live.map((w) => w.expiresAt ?? options.now.getTime()));
  if (expiresAt - options.now.getTime() < REFRESH_WITHIN_MS) {
    expiresAt = (await client.refreshDynamicWebhooks(ids)).getTime();
    if (action === "unchanged") action = "refreshed";
    options.log.info({ connectionId: rt.row.id, ids, expiresAt: new Date(expiresAt).toISOString() }, "Jira dynamic webhook refreshed");
  }
  const state: DynamicWebhookState = { url, jqlFilter, ids, expiresAt: new Date(expiresAt).toISOString(), checkedAt: options.now.toISOString() };
  await db.transaction(async (tx) => {
    const row = await findConnectionById(tx, rt.row.id, { forUpdate: true });
    // Not updatedAt: that marks an admin's change and renews the cached client.
    if (row) await updateConnection(tx, row.id, { settings: { ...row.settings, dynamicWebhooks: state } });
  });
  return { action, ids, expiresAt: new Date(expiresAt) };
}

/** Whether a connection's webhook needs a look before the daily run: never checked, or not for a day. */
export function webhookCheckDue(settings: unknown, now: Date): boolean {
  const state = dynamicWebhookState(settings);
  return !state || now.getTime() - Date.parse(state.checkedAt) > 24 * 3600_000;
}
