import { isStaff, type Actor } from "../policies/actor.js";

type ScopedTicket = { requesterId: string; organizationId: string | null };

/**
 * `ticketScope` (src/policies/ticketScope.ts) as a predicate over a loaded row: the hub decides
 * for every connected socket per change, and a query per socket would not scale. The two must
 * agree; test/realtime/visibility.test.ts checks this predicate against the SQL scope.
 */
export function maySeeTicket(actor: Actor, ticket: ScopedTicket): boolean {
  if (isStaff(actor)) return true;
  if (ticket.requesterId === actor.id) return true;
  return actor.isOrgManager && actor.organizationId !== null && ticket.organizationId === actor.organizationId;
}
