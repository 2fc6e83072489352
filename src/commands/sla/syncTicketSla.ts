import { and, asc, eq, notInArray } from "drizzle-orm";
import { slaClocks, ticketEvents, tickets } from "../../db/schema/index.js";
import type { Executor } from "../../db/client.js";
import { recordTicketEvents } from "../tickets/recordTicketEvents.js";
import { currentPolicyVersions, loadPolicyVersions } from "../../db/repositories/slaConfig.js";
import type { TicketRow } from "../../db/repositories/findTicket.js";
import { computeClocks, type ClockSnapshot } from "../../domain/sla/computeClocks.js";
import { policyMatches } from "../../domain/sla/policy.js";
import type { Actor } from "../../policies/actor.js";
import { referencedVersionIds, toClockEvents } from "./toClockEvents.js";

const eventsOf = (tx: Executor, ticketId: string) =>
  tx.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(asc(ticketEvents.id));

/**
 * Brings a ticket's SLA up to date inside the caller's transaction: applies the first matching
 * policy when it differs from the one in force (a changed priority can move a ticket to another
 * policy; an edited policy only moves it when re-baselined), then recomputes and stores every
 * clock from the event log. Call it, with the ticket row locked, after every change to a ticket.
 */
export async function syncTicketSla(tx: Executor, ticket: TicketRow, actor: Actor | null, channel: string, now = new Date()): Promise<ClockSnapshot[]> {
  let rows = await eventsOf(tx, ticket.id);
  const applied = [...rows].reverse().find((r) => r.type === "sla.policy_applied");
  const appliedPolicyId = (applied?.toValue as { policyId?: string } | null)?.policyId ?? null;
  const isFinished = ticket.status === "resolved" || ticket.status === "closed" || ticket.mergedIntoId !== null;
  if (!isFinished) {
    const match = (await currentPolicyVersions(tx)).find(
      (v) => v.definition.isActive && policyMatches(v.definition.conditions, { ...ticket, tags: ticket.tags }),
    );
    if (match && match.policyId !== appliedPolicyId) {
      await recordTicketEvents(tx, ticket.id, actor, channel, [
        { type: "sla.policy_applied", to: { policyId: match.policyId, versionId: match.id, version: match.version, name: match.definition.name } },
      ], now);
      rows = await eventsOf(tx, ticket.id);
    }
  }
  const { clocks } = await clocksFromEvents(tx, rows, now);
  await storeClocks(tx, ticket.id, clocks, now);
  return clocks;
}

async function clocksFromEvents(tx: Executor, rows: Awaited<ReturnType<typeof eventsOf>>, now: Date) {
  const versions = await loadPolicyVersions(tx, referencedVersionIds(rows));
  return { clocks: computeClocks(toClockEvents(rows, versions), now), versions };
}

/** Read-only replay of a ticket's clocks as of `now`, with the policy versions they ran under. */
export async function replayTicketClocks(tx: Executor, ticketId: string, now = new Date()) {
  return clocksFromEvents(tx, await eventsOf(tx, ticketId), now);
}

async function storeClocks(tx: Executor, ticketId: string, clocks: ClockSnapshot[], now: Date) {
  for (const c of clocks) {
    const values = {
      state: c.state,
      policyVersionId: c.policyVersionId,
      targetSeconds: c.targetSeconds,
      consumedSeconds: c.consumedSeconds,
      startedAt: c.startedAt,
      dueAt: c.dueAt,
      breachedAt: c.breachedAt,
      metAt: c.metAt,
      warnedAt: Object.fromEntries(Object.entries(c.warnedAt).map(([k, v]) => [k, v.toISOString()])),
      nextCheckAt: c.nextCheckAt,
      computedAt: now,
    };
    await tx
      .insert(slaClocks)
      .values({ ticketId, metric: c.metric, ...values })
      .onConflictDoUpdate({ target: [slaClocks.ticketId, slaClocks.metric], set: values });
  }
  const metrics = clocks.map((c) => c.metric);
  await tx
    .delete(slaClocks)
    .where(metrics.length ? and(eq(slaClocks.ticketId, ticketId), notInArray(slaClocks.metric, metrics)) : eq(slaClocks.ticketId, ticketId));
  const due = clocks.flatMap((c) => (c.dueAt && c.state !== "met" ? [c.dueAt.getTime()] : []));
  await tx
    .update(tickets)
    .set({ slaDueAt: due.length ? new Date(Math.min(...due)) : null })
    .where(eq(tickets.id, ticketId));
}
