import type { TicketListRow } from "../db/repositories/listTickets.js";
import { isStaff, type Actor } from "../policies/actor.js";
import type { Ticket } from "./schemas.js";

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const ref = <T extends { id: string | null }>(r: T | null): (T & { id: string }) | null =>
  r && r.id ? (r as T & { id: string }) : null;

/** The API shape of a ticket. Customers don't get staff-only fields (tags, team, custom fields, escalation). */
export function presentTicket(row: Omit<TicketListRow, "sortKey">, viewer: Actor): Ticket {
  const t = row.ticket;
  const base: Ticket = {
    id: t.id,
    number: t.number,
    subject: t.subject,
    description: t.description,
    status: t.status,
    priority: t.priority,
    category: t.category,
    source: t.source,
    requester: row.requester,
    organization: ref(row.organization),
    assignee: ref(row.assignee),
    mergedIntoId: t.mergedIntoId,
    slaDueAt: iso(t.slaDueAt),
    firstRespondedAt: iso(t.firstRespondedAt),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
  if (!isStaff(viewer)) return base;
  return { ...base, tags: t.tags, team: ref(row.team), customFields: t.customFields, isEscalated: t.isEscalated };
}
