import { asc, eq } from "drizzle-orm";
import type { Executor } from "../client.js";
import { subscriptions, tickets } from "../schema/index.js";

/** A person's subscriptions, oldest first, with the ticket number of ticket subscriptions. */
export function listSubscriptions(db: Executor, userId: string) {
  return db
    .select({ row: subscriptions, number: tickets.number })
    .from(subscriptions)
    .leftJoin(tickets, eq(tickets.id, subscriptions.ticketId))
    .where(eq(subscriptions.userId, userId))
    .orderBy(asc(subscriptions.createdAt), asc(subscriptions.id))
    .limit(1000);
}
