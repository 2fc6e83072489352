import type { Db } from "../../db/client.js";
import { findConnection, pausedStatuses, updateConnection, type ConnectionRow } from "../../db/repositories/connections.js";
import { checkJiraConnection, type ConnectionReport } from "../../connectors/jira/checkConnection.js";
import { JIRA_SYSTEM } from "../../connectors/jira/constants.js";
import { isJiraError } from "../../connectors/jira/errors.js";
import type { JiraSettings } from "../../connectors/jira/jiraSettings.js";
import { openJiraRuntime } from "../../connectors/jira/runtime.js";
import { AppError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { AWAITING_AUTHORIZATION } from "./saveJiraConnection.js";
import { resumeJiraConnection } from "./resumeJiraConnection.js";

/**
 * The admin's "test" action: asks Jira about the stored connection (credentials, project, issue
 * type, mapping) and reports each check in words. A paused connection that now checks out is
 * resumed; one that does not keeps its status and gets the failure as its last error.
 */
export async function testJiraConnection(options: { db: Db; settings: JiraSettings; log?: Logger }): Promise<{ row: ConnectionRow; report: ConnectionReport; ok: boolean }> {
  const { db } = options;
  const row = await findConnection(db, JIRA_SYSTEM);
  if (!row) throw new AppError("NOT_FOUND", "no Jira connection; PUT /api/v1/connections/jira first");
  if (row.status === AWAITING_AUTHORIZATION) throw new AppError("CONFLICT", "authorize Switchboard in Jira first: GET /api/v1/connections/jira/authorize");
  let report: ConnectionReport;
  try {
    const rt = openJiraRuntime(db, row, { secretKey: options.settings.secretKey, ...(options.log ? { log: options.log } : {}) });
    report = await checkJiraConnection(rt.client, rt.connection, rt.mapping);
  } catch (e) {
    if (!isJiraError(e)) throw e;
    report = { checks: [{ name: "credentials", result: "failed", message: e.message }], failure: e.kind, remote: {} };
  }
  const ok = report.checks.every((c) => c.result === "ok");
  const failed = report.checks.filter((c) => c.result === "failed").map((c) => c.message);
  const settings = { ...(row.settings as Record<string, unknown>), remote: { ...((row.settings as { remote?: object }).remote ?? {}), ...report.remote } };
  const saved = await db.transaction(async (tx) => {
    const resumed = ok && (pausedStatuses as readonly string[]).includes(row.status);
    const updated = await updateConnection(tx, row.id, {
      settings,
      ...(resumed ? { status: "active", lastError: null } : {}),
      ...(!ok && failed.length > 0 ? { lastError: failed.join("; "), lastErrorAt: new Date() } : {}),
    });
    if (resumed) await resumeJiraConnection(tx, row.id);
    return updated ?? row;
  });
  return { row: saved, report, ok };
}
