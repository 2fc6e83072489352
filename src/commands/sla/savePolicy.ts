import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { slaClocks, slaPolicies, slaPolicyVersions, teams, tickets } from "../../db/schema/index.js";
import type { Db, Executor } from "../../db/client.js";
import { findCalendar, type PolicyVersionRow } from "../../db/repositories/slaConfig.js";
import { recordTicketEvents } from "../tickets/recordTicketEvents.js";
import { ZPolicyDefinition, slaMetrics, type PolicyDefinition } from "../../domain/sla/policy.js";
import { openStatuses } from "../../domain/ticketStatus.js";
import { AppError, notFound } from "../../errors.js";
import type { Actor } from "../../policies/actor.js";
import { syncTicketSla } from "./syncTicketSla.js";

export type ApplyMode = "new_tickets" | "rebaseline_open";

/** References a zod schema can't check: the calendar and any team a breach action names. */
async function checkReferences(tx: Executor, def: PolicyDefinition) {
  const calendar = await findCalendar(tx, def.calendarId);
  if (!calendar) throw new AppError("UNPROCESSABLE", "calendarId does not name a calendar", { field: "calendarId" });
  for (const [index, teamId] of (def.conditions.teamId ?? []).entries()) {
    const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
    if (!team) throw new AppError("UNPROCESSABLE", "the conditions name an unknown team", { field: `conditions.teamId.${index}` });
  }
  for (const metric of slaMetrics) {
    const teamId = def.targets[metric]?.breachActions.assignTeamId;
    if (!teamId) continue;
    const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
    if (!team) {
      throw new AppError("UNPROCESSABLE", "the breach action names an unknown team", { field: `targets.${metric}.breachActions.assignTeamId` });
    }
  }
  return calendar;
}

/**
 * Creates a policy, or saves a new immutable version of one. `new_tickets` leaves open tickets on
 * the version they started with; `rebaseline_open` moves them to the new targets, keeping the
 * business time they have already used.
 */
export async function savePolicy(options: {
  db: Db;
  actor: Actor;
  policyId?: string | undefined;
  definition: PolicyDefinition;
  apply?: ApplyMode | undefined;
}): Promise<{ version: PolicyVersionRow; rebaselined: number }> {
  const definition = ZPolicyDefinition.parse(options.definition);
  return options.db.transaction(async (tx) => {
    const calendar = await checkReferences(tx, definition);
    let policyId = options.policyId;
    let version = 1;
    if (policyId) {
      const [row] = await tx
        .update(slaPolicies)
        .set({ currentVersion: sql`${slaPolicies.currentVersion} + 1` })
        .where(eq(slaPolicies.id, policyId))
        .returning();
      if (!row) throw notFound("policy");
      version = row.currentVersion;
    } else {
      const [row] = await tx.insert(slaPolicies).values({}).returning();
      policyId = row!.id;
    }
    const [saved] = await tx
      .insert(slaPolicyVersions)
      .values({ policyId, version, definition, calendar: calendar.definition, createdById: options.actor.id })
      .returning();
    const rebaselined = options.policyId && options.apply === "rebaseline_open" ? await rebaseline(tx, options.actor, policyId, saved!) : 0;
    return { version: saved!, rebaselined };
  });
}

/** Moves every open ticket on an older version of this policy to the new version. */
async function rebaseline(tx: Executor, actor: Actor, policyId: string, version: PolicyVersionRow): Promise<number> {
  // PostgreSQL refuses FOR UPDATE with DISTINCT, so the clocks narrow the tickets in a subquery;
  // locking in id order keeps two concurrent re-baselines from deadlocking.
  const onPolicy = tx
    .select({ id: slaClocks.ticketId })
    .from(slaClocks)
    .innerJoin(slaPolicyVersions, eq(slaPolicyVersions.id, slaClocks.policyVersionId))
    .where(eq(slaPolicyVersions.policyId, policyId));
  const affected = await tx
    .select()
    .from(tickets)
    .where(and(inArray(tickets.id, onPolicy), inArray(tickets.status, [...openStatuses]), isNull(tickets.mergedIntoId)))
    .orderBy(asc(tickets.id))
    .for("update");
  const now = new Date();
  for (const ticket of affected) {
    await recordTicketEvents(tx, ticket.id, actor, "sla", [
      {
        type: "sla.policy_applied",
        to: { policyId, versionId: version.id, version: version.version, name: version.definition.name, reason: "rebaseline" },
      },
    ], now);
    await syncTicketSla(tx, ticket, actor, "sla", now);
  }
  return affected.length;
}
