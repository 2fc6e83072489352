import type { Db } from "../../db/client.js";
import type { ConnectionRow } from "../../db/repositories/connections.js";
import type { Logger } from "../../logger.js";
import { createJiraClient, type JiraClient } from "./client.js";
import type { JiraConnection } from "./config.js";
import { connectionTokenStore } from "./connectionTokenStore.js";
import { JiraError } from "./errors.js";
import type { JiraMapping } from "./mapping.js";
import { joinConnection, openSecrets, ZStoredSettings, type StoredSecrets, type StoredSettings } from "./storedConnection.js";

/** A stored connection, opened: settings, secrets, the mapping and a client to call Jira with. */
export type JiraRuntime = {
  row: ConnectionRow;
  settings: StoredSettings;
  secrets: StoredSecrets;
  connection: JiraConnection;
  mapping: JiraMapping;
  client: JiraClient;
};

/**
 * Clients live as long as their connection's settings (keyed by `updated_at`), so a transport's
 * Retry-After cool-down holds for every job of this process that calls that connection: the
 * per-connection limiter DESIGN.md §7 asks for.
 */
const clients = new Map<string, JiraClient>();
const MAX_CACHED = 32;

export function openJiraRuntime(db: Db, row: ConnectionRow, deps: { secretKey: Buffer; log?: Logger }): JiraRuntime {
  let settings: StoredSettings;
  let secrets: StoredSecrets;
  let connection: JiraConnection;
  try {
    settings = ZStoredSettings.parse(row.settings);
    secrets = openSecrets(deps.secretKey, row.id, row.sealedSecrets);
    connection = joinConnection(settings, secrets);
  } catch (e) {
    // A changed SWITCHBOARD_SECRET_KEY or a hand-edited row: nothing works until an admin saves it again.
    throw new JiraError("config_invalid", `the stored Jira connection cannot be opened (${e instanceof Error ? e.message.split("\n")[0] : String(e)}); save it again`, { cause: e });
  }
  const key = `${row.id}:${row.updatedAt.getTime()}`;
  let client = clients.get(key);
  if (!client) {
    client = createJiraClient(connection, {
      ...(connection.auth.kind === "oauth" ? { oauthStore: connectionTokenStore(db, row.id, deps.secretKey) } : {}),
      ...(deps.log ? { log: deps.log } : {}),
    });
    for (const old of clients.keys()) if (old.startsWith(`${row.id}:`)) clients.delete(old);
    if (clients.size >= MAX_CACHED) clients.delete(clients.keys().next().value!);
    clients.set(key, client);
  }
  return { row, settings, secrets, connection, mapping: settings.mapping, client };
}

/** A client that is not cached: for checking settings before they are saved. */
export function transientJiraClient(db: Db, connection: JiraConnection, deps: { secretKey: Buffer; connectionId?: string; log?: Logger }): JiraClient {
  return createJiraClient(connection, {
    ...(connection.auth.kind === "oauth" && deps.connectionId ? { oauthStore: connectionTokenStore(db, deps.connectionId, deps.secretKey) } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  });
}
