import type { TicketListRow } from "../db/repositories/listTickets.js";
import type { Actor } from "../policies/actor.js";
import { presentTicket } from "./presentTicket.js";

/** The export's header row, in column order. */
export const ticketCsvColumns = [
  "number",
  "subject",
  "status",
  "priority",
  "requester_email",
  "organization",
  "team",
  "assignee",
  "category",
  "source",
  "tags",
  "created_at",
  "updated_at",
  "sla_due_at",
] as const;

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return, which some
 * treat the same way) as a formula, so such cells get a leading apostrophe: shown as text, never
 * run (OWASP's advice for CSV injection).
 */
export function neutralizeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** One ticket as a CSV row, built from the API presenter so it carries nothing the API would not. */
export function presentTicketCsvRow(row: TicketListRow, viewer: Actor): string[] {
  const t = presentTicket(row, viewer);
  const cells = [
    t.number,
    t.subject,
    t.status,
    t.priority,
    t.requester.email,
    t.organization?.name ?? "",
    t.team?.name ?? "",
    t.assignee?.name ?? "",
    t.category,
    t.source,
    (t.tags ?? []).join(", "),
    t.createdAt,
    t.updatedAt,
    t.slaDueAt ?? "",
  ];
  return cells.map(neutralizeFormula);
}
