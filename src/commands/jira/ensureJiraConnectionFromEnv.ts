import { randomUUID } from "node:crypto";
import type { Db } from "../../db/client.js";
import { DEFAULT_CONNECTION_NAME, findConnection, insertConnection } from "../../db/repositories/connections.js";
import { jiraConnectionFromEnv } from "../../connectors/jira/config.js";
import { JIRA_SYSTEM } from "../../connectors/jira/constants.js";
import { parseJiraMapping } from "../../connectors/jira/mapping.js";
import { sealSecrets, splitConnection } from "../../connectors/jira/storedConnection.js";
import type { Logger } from "../../logger.js";
import { AWAITING_AUTHORIZATION } from "./saveJiraConnection.js";

/**
 * On start, turns JIRA_* variables into the Jira connection when none exists yet (12-factor set-up;
 * afterwards the admin API owns it and the variables are ignored). Bad variables stop the process
 * with a list of problems (ConfigError from jiraConnectionFromEnv). Jira is not called here: it may
 * be down while we start; the first sync pauses the connection if the settings are wrong.
 */
export async function ensureJiraConnectionFromEnv(db: Db, secretKey: Buffer, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const connection = jiraConnectionFromEnv(env);
  if (!connection) return;
  if (await findConnection(db, JIRA_SYSTEM)) {
    log.debug("a Jira connection exists; JIRA_* variables are not applied again");
    return;
  }
  const id = randomUUID();
  const { settings, secrets } = splitConnection(connection, parseJiraMapping({}), {});
  const isOAuth = connection.auth.kind === "oauth";
  const row = await insertConnection(db, {
    id,
    system: JIRA_SYSTEM,
    name: DEFAULT_CONNECTION_NAME,
    settings: settings as unknown as Record<string, unknown>,
    sealedSecrets: sealSecrets(secretKey, id, secrets),
    status: isOAuth ? AWAITING_AUTHORIZATION : "active",
    lastError: isOAuth ? "authorize Switchboard in Jira: GET /api/v1/connections/jira/authorize" : null,
    ...(isOAuth ? { lastErrorAt: new Date() } : {}),
  });
  if (row) log.info({ deployment: connection.deployment, auth: connection.auth.kind, projectKey: connection.projectKey }, "Jira connection created from JIRA_* variables");
}
