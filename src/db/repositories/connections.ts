import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { connections } from "../schema/index.js";

export type ConnectionRow = typeof connections.$inferSelect;

/** One connection per system for now; the name leaves room for several. */
export const DEFAULT_CONNECTION_NAME = "default";

/** Statuses in which sync work waits for an admin (DESIGN.md §7 "pause the connection"). */
export const pausedStatuses = ["auth_failed", "mapping_invalid", "config_invalid", "revoked", "paused", "awaiting_authorization"] as const;

export async function findConnection(db: Executor, system: string, name = DEFAULT_CONNECTION_NAME): Promise<ConnectionRow | undefined> {
  const [row] = await db.select().from(connections).where(and(eq(connections.system, system), eq(connections.name, name))).limit(1);
  return row;
}

/** Just what a webhook receiver checks a delivery with: the sealed secrets and the kind of auth. */
export async function findConnectionCredentials(db: Executor, system: string, name = DEFAULT_CONNECTION_NAME): Promise<{ id: string; sealedSecrets: string | null; authKind: string | null } | undefined> {
  const [row] = await db
    .select({ id: connections.id, sealedSecrets: connections.sealedSecrets, authKind: sql<string | null>`${connections.settings} -> 'auth' ->> 'kind'` })
    .from(connections)
    .where(and(eq(connections.system, system), eq(connections.name, name)))
    .limit(1);
  return row;
}

export async function findConnectionById(db: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<ConnectionRow | undefined> {
  const query = db.select().from(connections).where(eq(connections.id, id)).limit(1);
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

export async function listConnections(db: Executor, system: string, statuses?: readonly string[]): Promise<ConnectionRow[]> {
  return db
    .select()
    .from(connections)
    .where(and(eq(connections.system, system), statuses ? inArray(connections.status, [...statuses]) : undefined));
}

/** Inserts unless one with this system and name exists (two processes bootstrapping at once). */
export async function insertConnection(db: Executor, values: typeof connections.$inferInsert): Promise<ConnectionRow | undefined> {
  const [row] = await db.insert(connections).values(values).onConflictDoNothing({ target: [connections.system, connections.name] }).returning();
  return row;
}

export async function updateConnection(db: Executor, id: string, patch: Partial<typeof connections.$inferInsert>): Promise<ConnectionRow | undefined> {
  const [row] = await db.update(connections).set(patch).where(eq(connections.id, id)).returning();
  return row;
}

/**
 * Moves a connection to `status` only from one of `from`, so concurrent jobs hitting the same
 * failure change it (and notify admins) once. Returns the row when it changed.
 */
export async function changeConnectionStatus(db: Executor, id: string, from: readonly string[], status: string, lastError: string | null, at: Date): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .update(connections)
    .set({ status, lastError, ...(lastError ? { lastErrorAt: at } : {}) })
    .where(and(eq(connections.id, id), inArray(connections.status, [...from])))
    .returning();
  return row;
}
