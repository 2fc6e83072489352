import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { subscriptions } from "../../db/schema/index.js";
import { AppError } from "../../errors.js";

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type NotifyOn = "resolved" | "updates";

/** Follows a ticket the caller may see (the route checks that); following again changes `notifyOn`. */
export async function followTicket(db: Db, userId: string, ticketId: string, notifyOn: NotifyOn): Promise<SubscriptionRow> {
  const [row] = await db
    .insert(subscriptions)
    .values({ userId, ticketId, notifyOn })
    .onConflictDoUpdate({ target: [subscriptions.userId, subscriptions.ticketId], set: { notifyOn } })
    .returning();
  return row!;
}

/**
 * Follows a remote object by key, e.g. a Jira issue `ABC-123`: the connector for that system
 * tells its followers when it syncs a change. Staff only; the route checks.
 */
export async function followExternal(db: Db, userId: string, system: "jira", key: string, notifyOn: NotifyOn): Promise<SubscriptionRow> {
  const [row] = await db
    .insert(subscriptions)
    .values({ userId, externalSystem: system, externalKey: key.toUpperCase(), notifyOn })
    .onConflictDoUpdate({ target: [subscriptions.userId, subscriptions.externalSystem, subscriptions.externalKey], set: { notifyOn } })
    .returning();
  return row!;
}

export async function unfollow(db: Db, userId: string, where: { id: string } | { ticketId: string }): Promise<void> {
  const target = "id" in where ? eq(subscriptions.id, where.id) : eq(subscriptions.ticketId, where.ticketId);
  const gone = await db.delete(subscriptions).where(and(eq(subscriptions.userId, userId), target)).returning({ id: subscriptions.id });
  if (gone.length === 0) throw new AppError("NOT_FOUND", "subscription not found");
}
