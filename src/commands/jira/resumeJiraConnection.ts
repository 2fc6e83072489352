import type { Tx } from "../../db/client.js";
import { reconcileJob } from "../../connectors/jira/jobs/reconcileJob.js";
import { enqueue } from "../../jobs/enqueue.js";
import { hasCurrentQueue } from "../../jobs/queue.js";

/**
 * A paused connection is active again (an admin saved or tested it): in the same transaction,
 * queue the catch-up, which polls for what Jira changed meanwhile and requeues what Switchboard
 * could not send (DESIGN.md §7 "Paused work resumes in order").
 */
export async function resumeJiraConnection(tx: Tx, connectionId: string): Promise<void> {
  if (!hasCurrentQueue()) return;
  await enqueue(tx, reconcileJob, { connectionId, resume: true });
}
