import { and, asc, eq, lte } from "drizzle-orm";
import { slaClocks, tickets } from "../../db/schema/index.js";
import type { Db, Tx } from "../../db/client.js";
import { loadPolicyVersions } from "../../db/repositories/slaConfig.js";
import { recordTicketEvents } from "../tickets/recordTicketEvents.js";
import type { TicketEventInput } from "../../db/repositories/ticketEvents.js";
import type { ClockSnapshot } from "../../domain/sla/computeClocks.js";
import { workingIntervals } from "../../domain/sla/workingIntervals.js";
import type { PolicyDefinition } from "../../domain/sla/policy.js";
import { ticketPriorities } from "../../domain/ticketPriority.js";
import { systemActor } from "../../domain/systemActor.js";
import { applyTicketChanges } from "../tickets/applyTicketChanges.js";
import { notifyPeople, recipients } from "../notifications/notifyPeople.js";
import { syncTicketSla } from "./syncTicketSla.js";
import type { TicketRow } from "../../db/repositories/findTicket.js";
import type { Calendar } from "../../domain/sla/calendar.js";

export type SweepAction = { ticketId: string; number: string; metric: string; kind: "warning" | "breach"; threshold?: number };

/** Thresholds at or above this escalate (flag + leads); lower ones only tell the assignee. */
const ESCALATION_THRESHOLD = 90;

/**
 * Fires what is due: warnings at each crossed threshold and the breach with its actions. Reads
 * only clocks whose next check has come (an index on next_check_at), so its cost follows the
 * work due, not the number of tickets. Every action is recorded as a ticket event that the clock
 * replay reads back, so a repeated sweep finds nothing left to do.
 */
export async function runSlaSweep(
  db: Db,
  now = new Date(),
  limit = 500,
  options: { onError?: (ticketId: string, error: unknown) => void } = {},
): Promise<SweepAction[]> {
  const due = await db
    .selectDistinct({ ticketId: slaClocks.ticketId, at: slaClocks.nextCheckAt })
    .from(slaClocks)
    .where(lte(slaClocks.nextCheckAt, now))
    .orderBy(asc(slaClocks.nextCheckAt))
    .limit(limit);
  const actions: SweepAction[] = [];
  for (const ticketId of new Set(due.map((d) => d.ticketId))) {
    try {
      actions.push(...(await db.transaction((tx) => sweepTicket(tx, ticketId, now))));
    } catch (error) {
      // One broken ticket must not hold back everyone else's escalations: report it and look
      // again later, behind the tickets that are due now.
      options.onError?.(ticketId, error);
      await db
        .update(slaClocks)
        .set({ nextCheckAt: new Date(now.getTime() + RETRY_BROKEN_MS) })
        .where(and(eq(slaClocks.ticketId, ticketId), lte(slaClocks.nextCheckAt, now)));
    }
  }
  return actions;
}

const RETRY_BROKEN_MS = 5 * 60_000;

async function sweepTicket(tx: Tx, ticketId: string, now: Date): Promise<SweepAction[]> {
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for("update");
  if (!ticket) return [];
  const clocks = await syncTicketSla(tx, ticket, systemActor, "sla", now);
  const versions = await loadPolicyVersions(tx, clocks.map((c) => c.policyVersionId));
  const actions: SweepAction[] = [];
  let current: TicketRow = ticket;
  for (const clock of clocks) {
    const version = versions.get(clock.policyVersionId);
    if (!version || clock.state === "met") continue;
    const def = version.definition;
    const deliverAfter = def.notifyInBusinessHoursOnly ? nextWorkingInstant(version.calendar, now) : now;
    for (const threshold of crossedThresholds(clock, def)) {
      const escalate = threshold >= ESCALATION_THRESHOLD;
      await record(tx, current, { type: "sla.warning", to: { metric: clock.metric, threshold } }, now);
      await notifyPeople(tx, await recipients(tx, current, escalate ? "team_leads" : "assignee"), {
        kind: "sla.warning",
        ticketId,
        title: `${current.number}: ${threshold}% of the ${clock.metric.replace("_", " ")} target used`,
        data: { metric: clock.metric, threshold, dueAt: clock.dueAt?.toISOString() ?? null },
        deliverAfter,
      });
      if (escalate && !current.isEscalated) current = await applyTicketChanges(tx, systemActor, current, { isEscalated: true }, "sla");
      actions.push({ ticketId, number: current.number, metric: clock.metric, kind: "warning", threshold });
    }
    if (clock.state === "breached" && !clock.isBreachHandled) {
      await record(tx, current, { type: "sla.breached", to: { metric: clock.metric, breachedAt: clock.breachedAt?.toISOString() } }, now);
      current = await runBreachActions(tx, current, def, clock);
      await notifyPeople(tx, await recipients(tx, current, "admins"), {
        kind: "sla.breached",
        ticketId,
        title: `${current.number}: ${clock.metric.replace("_", " ")} target breached`,
        data: { metric: clock.metric, breachedAt: clock.breachedAt?.toISOString() ?? null },
        deliverAfter,
      });
      actions.push({ ticketId, number: current.number, metric: clock.metric, kind: "breach" });
    }
  }
  // The first sync already stored the right next check unless something fired since.
  if (actions.length) await syncTicketSla(tx, current, systemActor, "sla", now);
  return actions;
}

function crossedThresholds(clock: ClockSnapshot, def: PolicyDefinition): number[] {
  const warnAt = def.targets[clock.metric]?.warnAt ?? [];
  return [...warnAt]
    .sort((a, b) => a - b)
    .filter((t) => !(String(t) in clock.warnedAt) && clock.consumedSeconds >= Math.ceil((clock.targetSeconds * t) / 100));
}

async function record(tx: Tx, ticket: TicketRow, event: TicketEventInput, now: Date) {
  await recordTicketEvents(tx, ticket.id, systemActor, "sla", [event], now);
}

/** Raise priority (never lower it), hand to a team, add tags, flag escalated: each a no-op when already so. */
async function runBreachActions(tx: Tx, ticket: TicketRow, def: PolicyDefinition, clock: ClockSnapshot): Promise<TicketRow> {
  const actions = def.targets[clock.metric]?.breachActions ?? {};
  const rank = (p: string) => ticketPriorities.indexOf(p as (typeof ticketPriorities)[number]);
  const priority = actions.setPriority && rank(actions.setPriority) > rank(ticket.priority) ? actions.setPriority : undefined;
  return applyTicketChanges(
    tx,
    systemActor,
    ticket,
    {
      isEscalated: true,
      priority,
      teamId: actions.assignTeamId,
      tags: actions.addTags?.length ? [...ticket.tags, ...actions.addTags] : undefined,
    },
    "sla",
  );
}

function nextWorkingInstant(calendar: Calendar, now: Date): Date {
  const [first] = workingIntervals(calendar, now.getTime(), now.getTime() + 14 * 86_400_000);
  return first ? new Date(Math.max(first[0], now.getTime())) : now;
}
