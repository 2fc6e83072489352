/**
 * Every cached query's key. A ticket's own queries (detail, events, SLA) share the prefix
 * ["ticket", number], so one stream frame invalidates all of them at once.
 */
export const queryKeys = {
  me: ["me"] as const,
  ticketLists: ["tickets"] as const,
  ticketList: (filters: Record<string, string>) => ["tickets", filters] as const,
  ticket: (number: string) => ["ticket", number] as const,
  ticketEvents: (number: string) => ["ticket", number, "events"] as const,
  ticketSla: (number: string) => ["ticket", number, "sla"] as const,
  staff: ["staff"] as const,
  teams: ["teams"] as const,
  organizations: ["organizations"] as const,
};
