import type { Executor } from "../../src/db/client.js";
import { currentPolicyVersions, resolvePolicy, type PolicyVersionRow } from "../../src/db/repositories/slaConfig.js";
import type { ResolvedPolicy } from "../../src/domain/sla/computeClocks.js";
import { policyMatches, type TicketFacts } from "../../src/domain/sla/policy.js";
import { benchPriorities, type BenchPriority } from "./shapes.js";

/** The payload syncTicketSla writes in a `sla.policy_applied` event. */
export type AppliedPolicy = { policyId: string; versionId: string; version: number; name: string };

export type BenchPolicies = {
  resolved: Map<BenchPriority, ResolvedPolicy>;
  applied: Record<BenchPriority, AppliedPolicy>;
};

/** What a generated ticket looks like to policy matching (category, source and tags as generated). */
export const benchTicketFacts = (priority: BenchPriority): TicketFacts => ({
  priority,
  category: "general",
  source: "portal",
  organizationId: null,
  tags: [],
});

/**
 * The policy version each priority gets, chosen exactly as syncTicketSla chooses it (first active
 * current version whose conditions match), so a sweep that re-matches keeps the same policy.
 */
export async function loadBenchPolicies(db: Executor): Promise<BenchPolicies> {
  const versions = await currentPolicyVersions(db);
  // Shapes choose the policy by priority alone; a condition on anything else (team, tag, …) would
  // make the stored clocks differ from what the sweep's re-matching picks.
  const other = versions.find(
    (v) => v.definition.isActive && Object.entries(v.definition.conditions).some(([k, list]) => k !== "priority" && Array.isArray(list) && list.length > 0),
  );
  if (other) throw new Error(`policy "${other.definition.name}" has conditions besides priority; the SLA bench expects the defaults`);
  const resolved = new Map<BenchPriority, ResolvedPolicy>();
  const applied: Partial<Record<BenchPriority, AppliedPolicy>> = {};
  for (const priority of benchPriorities) {
    const match: PolicyVersionRow | undefined = versions.find(
      (v) => v.definition.isActive && policyMatches(v.definition.conditions, benchTicketFacts(priority)),
    );
    if (!match) throw new Error(`no active SLA policy matches a ${priority} ticket: run ensureSlaDefaults first`);
    if (!match.definition.targets.resolution || !match.definition.targets.first_response) {
      throw new Error(`the ${priority} policy "${match.definition.name}" has no first-response or resolution target`);
    }
    resolved.set(priority, resolvePolicy(match));
    applied[priority] = { policyId: match.policyId, versionId: match.id, version: match.version, name: match.definition.name };
  }
  const { low, medium, high } = applied;
  if (!low || !medium || !high) throw new Error("policy lookup incomplete");
  return { resolved, applied: { low, medium, high } };
}
