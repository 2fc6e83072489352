import { and, arrayOverlaps, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { users, webhookDeliveries, webhookDeliveryAttempts, webhooks } from "../schema/index.js";
import type { Executor } from "../client.js";

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookDeliveryAttempts.$inferSelect;
export type WebhookWithOwner = { webhook: WebhookRow; createdBy: { id: string; name: string } | null };

/**
 * The active webhooks subscribed to any of `events`: the one query a ticket change costs.
 * `is_active` is written as the bare column so the planner can use the partial GIN index.
 */
export function activeWebhooksFor(db: Executor, events: string[]) {
  return db
    .select({ id: webhooks.id, events: webhooks.events })
    .from(webhooks)
    .where(and(sql`${webhooks.isActive}`, arrayOverlaps(webhooks.events, events)));
}

const withOwner = (db: Executor) =>
  db
    .select({ webhook: webhooks, createdBy: { id: users.id, name: users.name } })
    .from(webhooks)
    .leftJoin(users, eq(users.id, webhooks.createdById))
    .$dynamic();

const owned = (rows: { webhook: WebhookRow; createdBy: { id: string | null; name: string | null } | null }[]): WebhookWithOwner[] =>
  rows.map((r) => ({ webhook: r.webhook, createdBy: r.createdBy?.id ? { id: r.createdBy.id, name: r.createdBy.name ?? "" } : null }));

export async function findWebhook(db: Executor, id: string): Promise<WebhookWithOwner | undefined> {
  return owned(await withOwner(db).where(eq(webhooks.id, id)))[0];
}

/**
 * A keyset condition "after the row with id `cursor`" for a (created_at DESC, id DESC) order. The
 * cursor is only an id: the row's own timestamp is read back in the query, so no timestamp text
 * ever round-trips through a client. A cursor whose row is gone ends the list.
 */
function after(table: typeof webhooks | typeof webhookDeliveries, cursor: string): SQL {
  return sql`(${table.createdAt}, ${table.id}) < (select c.created_at, c.id from ${table} c where c.id = ${cursor})`;
}

/** Webhooks, newest first. */
export async function listWebhooks(db: Executor, options: { cursor?: string | undefined; limit: number }) {
  const rows = owned(
    await withOwner(db)
      .where(options.cursor ? after(webhooks, options.cursor) : undefined)
      .orderBy(desc(webhooks.createdAt), desc(webhooks.id))
      .limit(options.limit + 1),
  );
  const page = rows.slice(0, options.limit);
  return { rows: page, nextCursor: rows.length > options.limit ? page.at(-1)!.webhook.id : null };
}

export type DeliveryWithAttempts = WebhookDeliveryRow & { attempts: WebhookAttemptRow[] };

async function withAttempts(db: Executor, deliveries: WebhookDeliveryRow[]): Promise<DeliveryWithAttempts[]> {
  if (deliveries.length === 0) return [];
  const attempts = await db
    .select()
    .from(webhookDeliveryAttempts)
    .where(inArray(webhookDeliveryAttempts.deliveryId, deliveries.map((d) => d.id)))
    .orderBy(asc(webhookDeliveryAttempts.attemptedAt), asc(webhookDeliveryAttempts.id));
  return deliveries.map((d) => ({ ...d, attempts: attempts.filter((a) => a.deliveryId === d.id) }));
}

/** A webhook's delivery log, newest first, each delivery with its attempts (two queries a page). */
export async function listDeliveries(db: Executor, webhookId: string, options: { cursor?: string | undefined; limit: number }) {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, webhookId), options.cursor ? after(webhookDeliveries, options.cursor) : undefined))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  return { rows: await withAttempts(db, page), nextCursor: rows.length > options.limit ? page.at(-1)!.id : null };
}

export async function findDelivery(db: Executor, webhookId: string, deliveryId: string): Promise<DeliveryWithAttempts | undefined> {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, webhookId)));
  return (await withAttempts(db, rows))[0];
}
