import { asc, eq, inArray } from "drizzle-orm";
import { slaCalendars, slaPolicies, slaPolicyVersions } from "../schema/index.js";
import type { Executor } from "../client.js";
import { calendar24x7 } from "../../domain/sla/calendar.js";
import type { ResolvedPolicy, ResolvedTarget } from "../../domain/sla/computeClocks.js";
import { defaultPauseStatuses, slaMetrics, type PolicyDefinition } from "../../domain/sla/policy.js";

export type PolicyVersionRow = typeof slaPolicyVersions.$inferSelect;

/** The current version of every policy, in evaluation order (explicit position, then age). */
export async function currentPolicyVersions(db: Executor): Promise<PolicyVersionRow[]> {
  const rows = await db
    .select({ version: slaPolicyVersions })
    .from(slaPolicies)
    .innerJoin(slaPolicyVersions, eq(slaPolicyVersions.policyId, slaPolicies.id))
    .where(eq(slaPolicyVersions.version, slaPolicies.currentVersion))
    .orderBy(asc(slaPolicies.createdAt));
  return rows.map((r) => r.version).sort((a, b) => a.definition.position - b.definition.position);
}

export async function loadPolicyVersions(db: Executor, ids: string[]): Promise<Map<string, PolicyVersionRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select().from(slaPolicyVersions).where(inArray(slaPolicyVersions.id, unique));
  return new Map(rows.map((r) => [r.id, r]));
}

/** Turns a stored version into what the clock engine needs: per-metric calendars, pauses and thresholds. */
export function resolvePolicy(row: PolicyVersionRow): ResolvedPolicy {
  const def: PolicyDefinition = row.definition;
  const utc = calendar24x7("UTC");
  const targets: ResolvedPolicy["targets"] = {};
  for (const metric of slaMetrics) {
    const t = def.targets[metric];
    if (!t) continue;
    const resolved: ResolvedTarget = {
      seconds: t.seconds,
      calendar: t.timeMode === "calendar" ? utc : row.calendar,
      pauseStatuses: t.pauseStatuses ?? defaultPauseStatuses[metric],
      warnAt: t.warnAt,
    };
    targets[metric] = resolved;
  }
  return { versionId: row.id, targets };
}

export async function findCalendar(db: Executor, id: string | null) {
  const [row] = id
    ? await db.select().from(slaCalendars).where(eq(slaCalendars.id, id))
    : await db.select().from(slaCalendars).where(eq(slaCalendars.isDefault, true));
  return row;
}
