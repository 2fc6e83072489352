import type { Db } from "../../db/client.js";
import { findConnection } from "../../db/repositories/connections.js";
import { AppError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import { JIRA_SYSTEM } from "../../connectors/jira/constants.js";
import type { JiraSettings } from "../../connectors/jira/jiraSettings.js";
import { openJiraRuntime, type JiraRuntime } from "../../connectors/jira/runtime.js";

/** The Jira connection for a person's request, or the problem that says why there is none to use. */
export async function requireJiraRuntime(db: Db, settings: JiraSettings, log?: Logger): Promise<JiraRuntime> {
  const row = await findConnection(db, JIRA_SYSTEM);
  if (!row) throw new AppError("CONFLICT", "Jira is not connected; an admin sets it up at PUT /api/v1/connections/jira");
  if (row.status !== "active") throw new AppError("CONFLICT", `the Jira connection is ${row.status.replaceAll("_", " ")}${row.lastError ? `: ${row.lastError}` : ""}`, { connectionStatus: row.status });
  return openJiraRuntime(db, row, { secretKey: settings.secretKey, ...(log ? { log } : {}) });
}
