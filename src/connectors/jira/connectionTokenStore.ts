import { AsyncLocalStorage } from "node:async_hooks";
import type { Db, Executor } from "../../db/client.js";
import { findConnectionById, updateConnection } from "../../db/repositories/connections.js";
import type { OAuthTokens, OAuthTokenStore } from "./oauth.js";
import { openSecrets, sealSecrets } from "./storedConnection.js";

/**
 * OAuth tokens kept sealed in the connection's row. `exclusive` holds the row lock for the whole
 * refresh, so across every process one refresh runs at a time and the next one re-reads the
 * rotated token instead of spending the old one again (which would revoke the grant). Inside it,
 * load and save use the locking transaction: on PGlite a second connection does not exist.
 */
export function connectionTokenStore(db: Db, connectionId: string, secretKey: Buffer): OAuthTokenStore {
  const inside = new AsyncLocalStorage<Executor>();

  const write = async (tx: Executor, tokens: OAuthTokens) => {
    const row = await findConnectionById(tx, connectionId, { forUpdate: true });
    if (!row) throw new Error("the Jira connection was deleted");
    const secrets = openSecrets(secretKey, connectionId, row.sealedSecrets);
    // Not updatedAt: that marks an admin's change and renews cached clients.
    await updateConnection(tx, connectionId, { sealedSecrets: sealSecrets(secretKey, connectionId, { ...secrets, oauth: tokens }) });
  };

  return {
    async load() {
      const row = await findConnectionById(inside.getStore() ?? db, connectionId);
      if (!row) return null;
      return openSecrets(secretKey, connectionId, row.sealedSecrets).oauth ?? null;
    },
    async save(tokens) {
      const tx = inside.getStore();
      if (tx) await write(tx, tokens);
      else await db.transaction((t) => write(t, tokens));
    },
    exclusive(fn) {
      return db.transaction(async (tx) => {
        await findConnectionById(tx, connectionId, { forUpdate: true });
        return inside.run(tx, fn);
      });
    },
  };
}
