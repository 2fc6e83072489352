import type { Db } from "../../db/client.js";
import { findConnection } from "../../db/repositories/connections.js";
import { AppError } from "../../errors.js";
import { enqueue } from "../../jobs/enqueue.js";
import { JIRA_SYSTEM } from "../../connectors/jira/constants.js";
import { syncCustomersJob } from "../../connectors/jira/jobs/customerJobs.js";
import { reconcileJob } from "../../connectors/jira/jobs/reconcileJob.js";

/**
 * An admin's "Sync now": the reconcile poll and the customer sync, queued at once rather than at
 * their next schedule. Refused while the connection is paused, since the jobs would only wait.
 */
export async function syncJiraNow(db: Db): Promise<{ jobs: string[] }> {
  const row = await findConnection(db, JIRA_SYSTEM);
  if (!row) throw new AppError("NOT_FOUND", "no Jira connection is configured");
  if (row.status !== "active") throw new AppError("CONFLICT", `the Jira connection is ${row.status.replaceAll("_", " ")}; fix it first`, { connectionStatus: row.status });
  await db.transaction(async (tx) => {
    await enqueue(tx, reconcileJob, { connectionId: row.id });
    await enqueue(tx, syncCustomersJob, { connectionId: row.id });
  });
  return { jobs: [reconcileJob.name, syncCustomersJob.name] };
}
