import { asc, eq } from "drizzle-orm";
import { slaCalendars, slaPolicies, slaPolicyVersions } from "../schema/index.js";
import type { Executor } from "../client.js";

export const listCalendars = (db: Executor) => db.select().from(slaCalendars).orderBy(asc(slaCalendars.name));

/** Policies with their current version, in evaluation order. */
export async function listPolicies(db: Executor, policyId?: string) {
  const rows = await db
    .select({ policy: slaPolicies, version: slaPolicyVersions })
    .from(slaPolicies)
    .innerJoin(slaPolicyVersions, eq(slaPolicyVersions.policyId, slaPolicies.id))
    .where(policyId ? eq(slaPolicies.id, policyId) : undefined);
  return rows
    .filter((r) => r.version.version === r.policy.currentVersion)
    .sort((a, b) => a.version.definition.position - b.version.definition.position);
}
