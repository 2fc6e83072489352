import { asc, gt } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { organizations } from "../../db/schema/index.js";
import { AppError } from "../../errors.js";
import { findConnectionById, updateConnection } from "../../db/repositories/connections.js";
import { customerSettingsOf } from "../../connectors/jira/customers/customerSettings.js";
import { customerIssueFields, toIssueRecord } from "../../connectors/jira/customers/issueRecord.js";
import { matchRule, organizationsMatchingIssue } from "../../connectors/jira/customers/organizationMatch.js";
import type { JiraRuntime } from "../../connectors/jira/runtime.js";
import { syncOrganizationIssues } from "./syncOrganizationIssues.js";
import { storeCustomerIssue } from "./storeCustomerIssue.js";

/** Where an interrupted backfill stopped, kept in the connection's settings under `backfill`. */
type BackfillState = { mode: "organizations"; after: string | null; done: number } | { mode: "jql"; jql: string; pageToken: string | null; done: number };

export type BackfillProgress = { done: number; total: number | null; linked: number; current: string };
export type BackfillResult = { resumed: boolean; processed: number; linked: number; skipped: string[] };

async function saveState(db: Db, rt: JiraRuntime, state: BackfillState | null): Promise<void> {
  const row = await findConnectionById(db, rt.row.id);
  const settings = { ...(row?.settings ?? rt.row.settings) };
  if (state) settings.backfill = state;
  else delete settings.backfill;
  await updateConnection(db, rt.row.id, { settings });
}

/**
 * `switchboard sync jira --backfill`: links existing Jira issues to customers. Without a JQL it
 * runs every organization's search in turn; with one it walks that search and links each issue
 * to the organizations its labels, components or customer field match. The position is saved
 * after each organization or page, so a run that is interrupted resumes where it stopped (the
 * same JQL, or the organizations after the last one done); `restart` starts over.
 */
export async function backfillCustomerLinks(db: Db, rt: JiraRuntime, options: { jql?: string | undefined; restart?: boolean; onProgress?: (p: BackfillProgress) => void }): Promise<BackfillResult> {
  const saved = (await findConnectionById(db, rt.row.id))?.settings.backfill as BackfillState | undefined;
  const resumable = !options.restart && saved && (options.jql ? saved.mode === "jql" && saved.jql === options.jql : saved.mode === "organizations") ? saved : undefined;
  let linked = 0;
  const skipped: string[] = [];
  if (!options.jql) {
    const state = (resumable as Extract<BackfillState, { mode: "organizations" }> | undefined) ?? { mode: "organizations" as const, after: null, done: 0 };
    const orgs = await db
      .select({ id: organizations.id, name: organizations.name })
      .from(organizations)
      .where(state.after ? gt(organizations.id, state.after) : undefined)
      .orderBy(asc(organizations.id));
    const total = state.done + orgs.length;
    for (const org of orgs) {
      try {
        linked += (await syncOrganizationIssues(db, rt, org.id)).linked;
      } catch (e) {
        // An organization whose match cannot be searched is reported and skipped; Jira failures stop the run.
        if (!(e instanceof AppError)) throw e;
        skipped.push(`${org.name}: ${e.message}`);
      }
      state.after = org.id;
      state.done += 1;
      await saveState(db, rt, state);
      options.onProgress?.({ done: state.done, total, linked, current: org.name });
    }
    await saveState(db, rt, null);
    return { resumed: resumable !== undefined, processed: state.done, linked, skipped };
  }
  const state = (resumable as Extract<BackfillState, { mode: "jql" }> | undefined) ?? { mode: "jql" as const, jql: options.jql, pageToken: null, done: 0 };
  const settings = customerSettingsOf(rt.row.settings);
  const fields = customerIssueFields(settings, rt.mapping.customFields.map((f) => f.jiraField));
  const customIds = fields.filter((f) => f.startsWith("customfield_"));
  const orgs = await db.select({ id: organizations.id, slug: organizations.slug, jiraMatch: organizations.jiraMatch }).from(organizations);
  do {
    const page = await rt.client.search({ jql: state.jql, fields, maxResults: 100, pageToken: state.pageToken });
    await db.transaction(async (tx) => {
      for (const raw of page.issues) {
        const rec = toIssueRecord(raw, customIds);
        const ids = new Set(organizationsMatchingIssue(rec, orgs, settings));
        const matched = orgs.filter((o) => ids.has(o.id)).map((o) => ({ organizationId: o.id, strategy: matchRule(o, settings).strategy }));
        if (matched.length === 0) continue;
        linked += (await storeCustomerIssue(tx, { connectionId: rt.row.id, baseUrl: rt.connection.baseUrl, settings, now: new Date() }, rec, matched)).linked;
      }
    });
    state.done += page.issues.length;
    state.pageToken = page.nextPageToken;
    await saveState(db, rt, state.pageToken ? state : null);
    options.onProgress?.({ done: state.done, total: null, linked, current: page.issues.at(-1)?.key ?? "" });
  } while (state.pageToken);
  return { resumed: resumable !== undefined, processed: state.done, linked, skipped };
}
