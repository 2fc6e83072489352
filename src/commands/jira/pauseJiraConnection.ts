import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { changeConnectionStatus } from "../../db/repositories/connections.js";
import { users } from "../../db/schema/index.js";
import { SYSTEM_USER_ID } from "../../domain/systemActor.js";
import type { JiraError } from "../../connectors/jira/errors.js";
import { OAUTH_REFRESH } from "../../connectors/jira/oauth.js";
import { notifyPeople } from "../notifications/notifyPeople.js";

/** The connection status a pausing failure leads to (what admins see). */
export function statusForFailure(error: JiraError): string {
  if (error.kind === "auth_failed") return error.operation === OAUTH_REFRESH ? "revoked" : "auth_failed";
  return error.kind === "mapping_invalid" ? "mapping_invalid" : "config_invalid";
}

/**
 * Pauses an active connection after a failure no retry can fix (DESIGN.md §7: auth-failed and
 * mapping-invalid pause the connection and notify an admin). Only the first job to hit it changes
 * the status, so admins hear of it once; later jobs find it paused and wait.
 */
export async function pauseJiraConnection(db: Db, connectionId: string, error: JiraError): Promise<boolean> {
  const status = statusForFailure(error);
  return db.transaction(async (tx) => {
    const changed = await changeConnectionStatus(tx, connectionId, ["active"], status, error.message, new Date());
    if (!changed) return false;
    const admins = await tx.select({ id: users.id }).from(users).where(and(eq(users.role, "admin"), eq(users.isActive, true)));
    await notifyPeople(
      tx,
      admins.map((a) => a.id).filter((id) => id !== SYSTEM_USER_ID),
      {
        kind: "jira.connection_paused",
        ticketId: null,
        title: `Jira sync is paused (${status.replaceAll("_", " ")}): ${error.message.slice(0, 200)}`,
        data: { connectionId, status },
        deliverAfter: new Date(),
      },
    );
    return true;
  });
}
