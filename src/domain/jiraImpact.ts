import type { TicketPriority } from "./ticketPriority.js";

/** How much one open ticket of each priority weighs in an issue's impact. */
export const priorityWeight: Record<TicketPriority, number> = { low: 1, medium: 2, high: 4, urgent: 8 };
const PER_CUSTOMER = 5;
const AT_RISK = 3;
const BREACHED = 6;

export type ImpactInput = { customers: number; tickets: { priority: TicketPriority; sla: "ok" | "at_risk" | "breached" }[] };
export type Impact = {
  score: number;
  severity: "none" | "low" | "medium" | "high" | "critical";
  customers: number;
  openTickets: number;
  byPriority: Record<TicketPriority, number>;
  slaAtRisk: number;
  slaBreached: number;
};

/**
 * An issue's impact (the CSM requirements' FR-6): 5 per customer linked, plus each open linked
 * ticket's priority weight (1/2/4/8), plus 3 per ticket whose SLA is at risk and 6 per breached
 * one. The score orders issues; the severity bands make it readable (≥ 40 critical, ≥ 20 high,
 * ≥ 8 medium, > 0 low).
 */
export function impactOf(input: ImpactInput): Impact {
  const byPriority: Record<TicketPriority, number> = { low: 0, medium: 0, high: 0, urgent: 0 };
  let slaAtRisk = 0;
  let slaBreached = 0;
  let score = input.customers * PER_CUSTOMER;
  for (const t of input.tickets) {
    byPriority[t.priority] += 1;
    score += priorityWeight[t.priority];
    if (t.sla === "at_risk") (slaAtRisk++, (score += AT_RISK));
    if (t.sla === "breached") (slaBreached++, (score += BREACHED));
  }
  const severity = score >= 40 ? "critical" : score >= 20 ? "high" : score >= 8 ? "medium" : score > 0 ? "low" : "none";
  return { score, severity, customers: input.customers, openTickets: input.tickets.length, byPriority, slaAtRisk, slaBreached };
}
