import { eq, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { inboundEvents } from "../schema/index.js";

export type InboundEventRow = typeof inboundEvents.$inferSelect;

/** Stores a delivery once per (source, delivery id); undefined when it was already stored (a redelivery). */
export async function storeInboundEvent(db: Executor, values: typeof inboundEvents.$inferInsert): Promise<InboundEventRow | undefined> {
  const [row] = await db
    .insert(inboundEvents)
    .values(values)
    .onConflictDoNothing({ target: [inboundEvents.source, inboundEvents.deliveryId] })
    .returning();
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
