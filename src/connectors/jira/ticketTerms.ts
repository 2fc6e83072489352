import type { TicketRow } from "../../db/repositories/findTicket.js";
import type { TicketForJira } from "./mapping.js";

/** A ticket row as the mapping reads it: only the fields the mapping may send. */
export function ticketTerms(ticket: TicketRow, assigneeEmail: string | null): TicketForJira {
  return {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    description: ticket.description,
    priority: ticket.priority,
    status: ticket.status,
    category: ticket.category,
    tags: ticket.tags,
    customFields: ticket.customFields,
    assigneeEmail,
  };
}
