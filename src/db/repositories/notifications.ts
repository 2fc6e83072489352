import { and, count, desc, eq, isNull, lte } from "drizzle-orm";
import { notifications } from "../schema/index.js";
import type { Executor } from "../client.js";

const delivered = (userId: string) => and(eq(notifications.userId, userId), lte(notifications.deliverAfter, new Date()));

export function listNotifications(db: Executor, userId: string, unreadOnly: boolean, limit: number) {
  return db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      ticketId: notifications.ticketId,
      title: notifications.title,
      data: notifications.data,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(and(delivered(userId), unreadOnly ? isNull(notifications.readAt) : undefined))
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
}

export async function countUnread(db: Executor, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(notifications).where(and(delivered(userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export async function markNotificationRead(db: Executor, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .returning({ id: notifications.id });
  return rows.length > 0;
}
