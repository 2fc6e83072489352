import { z } from "zod";
import type { Tx } from "../../../db/client.js";
import { findConnectionById } from "../../../db/repositories/connections.js";
import { linkedAmong } from "../../../db/repositories/externalLinks.js";
import { claimUndispatched, markInboundDispatched, markInboundSettled } from "../../../db/repositories/inboundEvents.js";
import { trackedAmong } from "../../../db/repositories/jiraIssues.js";
import { matchValuesOf, organizationsForMatch } from "../../../commands/jira/refreshCustomerIssue.js";
import { coalescedWake } from "../../../jobs/coalescedWake.js";
import { defineJob, type JobDefinition } from "../../../jobs/defineJob.js";
import { enqueue, enqueueMany } from "../../../jobs/enqueue.js";
import { JIRA_WEBHOOK_SOURCE } from "../constants.js";
import { customerSettingsOf } from "../customers/customerSettings.js";
import { organizationsMatchingIssue, type OrganizationForMatch } from "../customers/organizationMatch.js";
import { issueFieldsOfPayload, readJiraPayload } from "../webhook.js";
import { issueOfEvent, processEventJob } from "./processEventJob.js";

/** Events read per transaction. */
const BATCH = 200;
/** Batches per run; a run that still finds a full batch queues the next run, so others get a turn. */
const BATCHES_PER_RUN = 10;

type Claimed = Awaited<ReturnType<typeof claimUndispatched>>[number];

/**
 * Splits one connection's claimed events into those that concern a linked ticket or a customer
 * (each gets a `jira.process-event` job) and the rest (done now): two reads for the whole batch
 * instead of a job and its reads per event. Most deliveries are about issues nobody linked.
 */
async function dispatchConnection(tx: Tx, connectionId: string | null, events: Claimed[], now: Date): Promise<void> {
  const ids = events.map((e) => e.id);
  const row = connectionId ? await findConnectionById(tx, connectionId) : undefined;
  if (!row) return markInboundSettled(tx, ids, now);
  // The catch-up after an admin's fix polls every linked issue; these events add nothing to it.
  if (row.status !== "active") return markInboundDispatched(tx, ids, now, `not processed: the Jira connection is ${row.status}`);
  const read = events.map((e) => {
    const payload = readJiraPayload(e.payload);
    return { id: e.id, ref: payload.ok ? issueOfEvent(payload.event) : null, fields: issueFieldsOfPayload(e.payload) };
  });
  const remoteIds = read.flatMap((r) => (r.ref?.id ? [r.ref.id] : []));
  const remoteKeys = read.flatMap((r) => (r.ref?.key ? [r.ref.key] : []));
  const known = new Set<string>();
  for (const r of [...(await linkedAmong(tx, row.id, remoteIds, remoteKeys)), ...(await trackedAmong(tx, row.id, remoteIds, remoteKeys))]) {
    known.add(`id:${r.remoteId}`);
    if (r.remoteKey) known.add(`key:${r.remoteKey.toUpperCase()}`);
  }
  const settings = customerSettingsOf(row.settings);
  let orgs: OrganizationForMatch[] | undefined;
  const relevant: string[] = [];
  const settled: string[] = [];
  for (const { id, ref, fields } of read) {
    let concerned = ref !== null && ((ref.id !== null && known.has(`id:${ref.id}`)) || (ref.key !== null && known.has(`key:${ref.key.toUpperCase()}`)));
    const values = ref && !concerned ? matchValuesOf(settings, fields) : null;
    if (values) {
      orgs ??= await organizationsForMatch(tx);
      concerned = organizationsMatchingIssue(values, orgs, settings).length > 0;
    }
    (concerned ? relevant : settled).push(id);
  }
  await enqueueMany(tx, processEventJob, relevant.map((eventId) => ({ eventId })));
  await markInboundDispatched(tx, relevant, now);
  await markInboundSettled(tx, settled, now);
}

/** One batch in one transaction: claimed, sorted, queued or settled, together. Returns how many. */
async function dispatchBatch(tx: Tx, now: Date): Promise<number> {
  const events = await claimUndispatched(tx, JIRA_WEBHOOK_SOURCE, BATCH);
  const byConnection = new Map<string | null, Claimed[]>();
  for (const e of events) {
    const group = byConnection.get(e.connectionId);
    if (group) group.push(e);
    else byConnection.set(e.connectionId, [e]);
  }
  for (const [connectionId, group] of byConnection) await dispatchConnection(tx, connectionId, group, now);
  return events.length;
}

/**
 * `jira.dispatch-events`: sorts the webhook deliveries the receiver stored (it only stores, so it
 * answers a burst quickly). The receiver wakes it (wakeJiraDispatch); the cron sweep every minute
 * finds anything a lost wake-up left behind.
 */
const ZDispatch = z.object({});

export const dispatchEventsJob: JobDefinition<typeof ZDispatch> = defineJob({
  name: "jira.dispatch-events",
  payload: ZDispatch,
  cron: "* * * * *",
  expireInSeconds: 5 * 60,
  async handler(_payload, ctx) {
    for (let batch = 1; batch <= BATCHES_PER_RUN; batch++) {
      const isLast = batch === BATCHES_PER_RUN;
      const count = await ctx.db.transaction(async (tx) => {
        const n = await dispatchBatch(tx, new Date());
        if (isLast && n === BATCH) await enqueue(tx, dispatchEventsJob, {});
        return n;
      });
      if (count < BATCH) return;
    }
  },
});

/** At most one dispatch per 50 ms per process, whatever the rate of deliveries. */
export const wakeJiraDispatch = coalescedWake(dispatchEventsJob, 50);
