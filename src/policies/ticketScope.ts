import { and, eq, or, type SQL } from "drizzle-orm";
import { tickets } from "../db/schema/index.js";
import { isStaff, type Actor } from "./actor.js";

/**
 * The rows an actor may see, as a WHERE clause. Putting the scope into the query makes
 * someone else's ticket indistinguishable from a missing one (404, never 403).
 */
export function ticketScope(actor: Actor): SQL | undefined {
  if (isStaff(actor)) return undefined;
  const own = eq(tickets.requesterId, actor.id);
  if (actor.isOrgManager && actor.organizationId) {
    return or(own, eq(tickets.organizationId, actor.organizationId));
  }
  return own;
}

export function scoped(actor: Actor, condition: SQL | undefined): SQL | undefined {
  const scope = ticketScope(actor);
  return scope && condition ? and(scope, condition) : (scope ?? condition);
}
