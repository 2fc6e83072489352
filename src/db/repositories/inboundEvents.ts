import { and, asc, eq, inArray, isNull, min, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { inboundEvents } from "../schema/index.js";

export type InboundEventRow = typeof inboundEvents.$inferSelect;

/** Stores a delivery once per (source, delivery id); undefined when it was already stored (a redelivery). */
export async function storeInboundEvent(db: Executor, values: typeof inboundEvents.$inferInsert): Promise<{ id: string } | undefined> {
  const [row] = await db
    .insert(inboundEvents)
    .values(values)
    .onConflictDoNothing({ target: [inboundEvents.source, inboundEvents.deliveryId] })
    .returning({ id: inboundEvents.id });
  return row;
}

export async function findInboundEvent(db: Executor, id: string): Promise<InboundEventRow | undefined> {
  const [row] = await db.select().from(inboundEvents).where(eq(inboundEvents.id, id)).limit(1);
  return row;
}

export async function markInboundProcessed(db: Executor, id: string, at: Date): Promise<void> {
  await db.update(inboundEvents).set({ processedAt: at, error: null, attempts: sql`${inboundEvents.attempts} + 1` }).where(eq(inboundEvents.id, id));
}

export async function markInboundFailed(db: Executor, id: string, error: string): Promise<void> {
  await db.update(inboundEvents).set({ error: error.slice(0, 1000), attempts: sql`${inboundEvents.attempts} + 1` }).where(eq(inboundEvents.id, id));
}

/**
 * Up to `limit` stored events of a source that no dispatcher has looked at, oldest first, locked
 * for the caller's transaction; rows another dispatcher holds are skipped, not waited for.
 */
export function claimUndispatched(tx: Executor, source: string, limit: number) {
  return tx
    .select({ id: inboundEvents.id, connectionId: inboundEvents.connectionId, payload: inboundEvents.payload })
    .from(inboundEvents)
    .where(and(eq(inboundEvents.source, source), isNull(inboundEvents.dispatchedAt), isNull(inboundEvents.processedAt)))
    .orderBy(asc(inboundEvents.receivedAt))
    .limit(limit)
    .for("update", { skipLocked: true });
}

/** Dispatched: their processing jobs are queued (`error` says why one will not be, if so). */
export async function markInboundDispatched(db: Executor, ids: string[], at: Date, error: string | null = null): Promise<void> {
  if (ids.length === 0) return;
  await db.update(inboundEvents).set({ dispatchedAt: at, ...(error ? { error: error.slice(0, 1000) } : {}) }).where(inArray(inboundEvents.id, ids));
}

/** Nothing to do for them (no ticket or customer concerned): done at dispatch. */
export async function markInboundSettled(db: Executor, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(inboundEvents)
    .set({ dispatchedAt: at, processedAt: at, error: null, attempts: sql`${inboundEvents.attempts} + 1` })
    .where(inArray(inboundEvents.id, ids));
}

/** Deliveries of a connection stored and not yet processed (nor given up on): its webhook backlog. */
export async function inboundBacklog(db: Executor, connectionId: string): Promise<{ waiting: number; oldestReceivedAt: Date | null }> {
  const [row] = await db
    .select({ waiting: sql<number>`count(*)::int`, oldest: min(inboundEvents.receivedAt) })
    .from(inboundEvents)
    .where(and(eq(inboundEvents.connectionId, connectionId), isNull(inboundEvents.processedAt), isNull(inboundEvents.error)));
  return { waiting: row?.waiting ?? 0, oldestReceivedAt: row?.oldest ?? null };
}
