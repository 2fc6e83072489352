import { z } from "zod";
import { ticketSorts, type TicketFilters, type TicketSort } from "../../../../db/repositories/listTickets.js";
import { csvOf, ZPriority, ZSource, ZStatus } from "../schemas.js";

const periods = { "24h": 1, "7d": 7, "30d": 30, "90d": 90 } as const;

/**
 * The queue's filters and sort, as `GET /tickets` takes them. The export and saved views use the
 * same list, so a view saved in the desk or exported to CSV means exactly what the queue shows.
 */
export const listFilterShape = {
  status: csvOf(ZStatus).optional(),
  priority: csvOf(ZPriority).optional(),
  source: csvOf(ZSource).optional(),
  assignee: z.union([z.literal("me"), z.literal("unassigned"), z.uuid()]).optional(),
  team: z.uuid().optional(),
  category: z.string().max(64).optional(),
  tag: z.string().max(50).optional(),
  organization: z.uuid().optional(),
  requester: z.uuid().optional(),
  q: z.string().trim().min(1).max(200).optional(),
  breaching: z.enum(["soon", "breached"]).optional(),
  period: z.enum(["24h", "7d", "30d", "90d"]).optional(),
  createdAfter: z.iso.datetime({ offset: true }).optional(),
  createdBefore: z.iso.datetime({ offset: true }).optional(),
  sort: z.enum(ticketSorts).default("-created_at"),
};

/** The names a saved view may store: every list filter, and `sort`. */
export const listFilterNames = Object.keys(listFilterShape) as (keyof typeof listFilterShape)[];

export const ZListFilters = z.strictObject(listFilterShape);
/** The parsed filters of a list, export or saved-view query. */
export type ListFilterQuery = z.output<typeof ZListFilters>;

/** The repository's filters from the parsed query: `period` (relative to now) wins over `createdAfter`. */
export function listFiltersOf(query: ListFilterQuery): { filters: TicketFilters; sort: TicketSort } {
  const { sort, period, createdAfter, createdBefore, ...filters } = query;
  const after = period ? new Date(Date.now() - periods[period] * 86_400_000) : createdAfter ? new Date(createdAfter) : undefined;
  return { sort, filters: { ...filters, createdAfter: after, createdBefore: createdBefore ? new Date(createdBefore) : undefined } };
}
