import type { ticketEvents } from "../../db/schema/index.js";
import type { PolicyVersionRow } from "../../db/repositories/slaConfig.js";
import { resolvePolicy } from "../../db/repositories/slaConfig.js";
import type { ClockEvent } from "../../domain/sla/computeClocks.js";
import { slaMetrics, type SlaMetric } from "../../domain/sla/policy.js";
import type { TicketStatus } from "../../domain/ticketStatus.js";

type EventRow = typeof ticketEvents.$inferSelect;

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" ? (v as Record<string, unknown>) : {});
const isMetric = (v: unknown): v is SlaMetric => typeof v === "string" && (slaMetrics as readonly string[]).includes(v);

/** The policy versions a ticket's history refers to, so they can be loaded in one query. */
export function referencedVersionIds(rows: readonly EventRow[]): string[] {
  return rows.flatMap((r) => {
    const id = r.type === "sla.policy_applied" ? obj(r.toValue).versionId : undefined;
    return typeof id === "string" ? [id] : [];
  });
}

/** Reads the SLA-relevant facts out of a ticket's audit history, in order. */
export function toClockEvents(rows: readonly EventRow[], versions: Map<string, PolicyVersionRow>): ClockEvent[] {
  const out: ClockEvent[] = [];
  for (const r of rows) {
    const at = r.createdAt;
    const to = obj(r.toValue);
    switch (r.type) {
      case "ticket.created":
        out.push({ type: "created", at, status: (to.status as TicketStatus) ?? "open" });
        break;
      case "ticket.status_changed":
      case "ticket.reopened":
        out.push({ type: "status", at, from: r.fromValue as TicketStatus, to: r.toValue as TicketStatus });
        break;
      case "reply.added":
        // Automatic acknowledgements are not responses; only people's public replies count.
        if (to.isAutomated === true) break;
        out.push({ type: to.authorSide === "staff" ? "agent_reply" : "customer_reply", at });
        break;
      case "ticket.merged_into":
        out.push({ type: "merged", at });
        break;
      case "sla.policy_applied": {
        const row = typeof to.versionId === "string" ? versions.get(to.versionId) : undefined;
        out.push({ type: "policy", at, policy: row ? resolvePolicy(row) : null });
        break;
      }
      case "sla.warning":
        if (isMetric(to.metric) && typeof to.threshold === "number") out.push({ type: "warned", at, metric: to.metric, threshold: to.threshold });
        break;
      case "sla.breached":
        if (isMetric(to.metric)) out.push({ type: "breach_handled", at, metric: to.metric });
        break;
    }
  }
  return out;
}
