export const ticketStatuses = [
  "open",
  "in_progress",
  "waiting_on_customer",
  "pending_approval",
  "blocked",
  "resolved",
  "closed",
] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

export const openStatuses: readonly TicketStatus[] = [
  "open",
  "in_progress",
  "waiting_on_customer",
  "pending_approval",
  "blocked",
];

/**
 * The legal moves (DESIGN.md §4). `closed` is final except for an explicit reopen,
 * which is modelled separately in `canReopen` so a plain PATCH can never do it by accident.
 */
const transitions: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ["in_progress", "waiting_on_customer", "pending_approval", "blocked", "resolved", "closed"],
  in_progress: ["waiting_on_customer", "pending_approval", "blocked", "resolved", "closed"],
  waiting_on_customer: ["in_progress", "blocked", "resolved", "closed"],
  pending_approval: ["in_progress", "blocked", "closed"],
  blocked: ["in_progress", "waiting_on_customer", "resolved", "closed"],
  resolved: ["in_progress", "closed"],
  closed: [],
};

export function allowedNextStatuses(from: TicketStatus): readonly TicketStatus[] {
  return transitions[from];
}

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return transitions[from].includes(to);
}

/** Resolved and closed tickets may be reopened explicitly, unless they were merged away. */
export function canReopen(from: TicketStatus, isMerged: boolean): boolean {
  return !isMerged && (from === "resolved" || from === "closed");
}

/** Where a ticket goes when its requester writes to it, or null to stay put. */
export function statusAfterCustomerReply(current: TicketStatus): TicketStatus | null {
  if (current === "waiting_on_customer" || current === "resolved") return "in_progress";
  return null;
}

export function isOpenStatus(status: TicketStatus): boolean {
  return openStatuses.includes(status);
}
