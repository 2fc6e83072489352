import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import type { Config } from "../config.js";
import { openConfiguredDatabase } from "../db/open.js";
import { findConnection } from "../db/repositories/connections.js";
import { backfillCustomerLinks } from "../commands/jira/backfillCustomerLinks.js";
import { JIRA_SYSTEM } from "../connectors/jira/constants.js";
import { jiraSettingsFrom } from "../connectors/jira/jiraSettings.js";
import { openJiraRuntime } from "../connectors/jira/runtime.js";

export const syncJiraUsage = "  sync jira --backfill [--jql Q] [--restart]   link existing Jira issues to customers (resumes if interrupted)\n";

/** `switchboard sync jira --backfill [--jql …] [--restart]`, with a progress bar on stderr. */
export async function syncJira(config: Config, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { backfill: { type: "boolean" }, jql: { type: "string" }, restart: { type: "boolean" } } });
  if (positionals[0] !== "jira" || !values.backfill) throw new Error(`usage:\n${syncJiraUsage}`);
  const database = await openConfiguredDatabase(config);
  const bar = new cliProgress.SingleBar(
    { format: "{bar} {value}/{total} {unit} | {linked} links | {current}", hideCursor: true, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  try {
    const row = await findConnection(database.db, JIRA_SYSTEM);
    if (!row) throw new Error("Jira is not connected: set it up first (PUT /api/v1/connections/jira or the JIRA_* variables)");
    if (row.status !== "active") throw new Error(`the Jira connection is ${row.status}${row.lastError ? `: ${row.lastError}` : ""}`);
    const rt = openJiraRuntime(database.db, row, { secretKey: jiraSettingsFrom(config).secretKey });
    let started = false;
    const result = await backfillCustomerLinks(database.db, rt, {
      jql: values.jql,
      restart: values.restart ?? false,
      onProgress: (p) => {
        const payload = { linked: p.linked, current: p.current, unit: values.jql ? "issues" : "organizations" };
        if (!started) bar.start(p.total ?? p.done, 0, payload);
        started = true;
        if (p.total === null) bar.setTotal(p.done);
        bar.update(p.done, payload);
      },
    });
    bar.stop();
    process.stdout.write(`${result.resumed ? "resumed and " : ""}processed ${result.processed} ${values.jql ? "issues" : "organizations"}; ${result.linked} new customer links\n`);
    for (const line of result.skipped) process.stdout.write(`skipped ${line}\n`);
  } finally {
    bar.stop();
    await database.close();
  }
}
