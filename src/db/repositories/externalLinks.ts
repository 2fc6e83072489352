import { and, asc, eq, inArray, or } from "drizzle-orm";
import type { Executor } from "../client.js";
import { connections, externalLinks } from "../schema/index.js";
import { byRemoteIdOrKey } from "./remoteRefs.js";

export type ExternalLinkRow = typeof externalLinks.$inferSelect;

/** A ticket's links with the system each belongs to, oldest first. */
export function listTicketLinks(db: Executor, ticketId: string) {
  return db
    .select({ link: externalLinks, system: connections.system, connectionStatus: connections.status })
    .from(externalLinks)
    .innerJoin(connections, eq(connections.id, externalLinks.connectionId))
    .where(eq(externalLinks.ticketId, ticketId))
    .orderBy(asc(externalLinks.createdAt), asc(externalLinks.id));
}

/** The links of one ticket to one system (uses the ticket index). */
export function linksOfTicket(db: Executor, ticketId: string, system: string) {
  return db
    .select({ link: externalLinks, connection: connections })
    .from(externalLinks)
    .innerJoin(connections, eq(connections.id, externalLinks.connectionId))
    .where(and(eq(externalLinks.ticketId, ticketId), eq(connections.system, system)))
    .orderBy(asc(externalLinks.createdAt), asc(externalLinks.id));
}

/**
 * Every ticket linked to one remote object, found by id or (for payloads that carry only a key)
 * by key, in ticket id order: every job locks them in the same order, so two never deadlock.
 */
export function linksOfRemote(db: Executor, connectionId: string, remote: { id?: string | null; key?: string | null }) {
  const byId = remote.id ? eq(externalLinks.remoteId, remote.id) : undefined;
  const byKey = remote.key ? eq(externalLinks.remoteKey, remote.key.toUpperCase()) : undefined;
  if (!byId && !byKey) return Promise.resolve([] as ExternalLinkRow[]);
  return db
    .select()
    .from(externalLinks)
    .where(and(eq(externalLinks.connectionId, connectionId), or(byId, byKey)))
    .orderBy(asc(externalLinks.ticketId));
}

/** Of these remote objects (by id or key), the ones some ticket links to: one query for a batch of events. */
export function linkedAmong(db: Executor, connectionId: string, ids: string[], keys: string[]) {
  const match = byRemoteIdOrKey({ id: externalLinks.remoteId, key: externalLinks.remoteKey }, ids, keys);
  if (!match) return Promise.resolve([]);
  return db.selectDistinct({ remoteId: externalLinks.remoteId, remoteKey: externalLinks.remoteKey }).from(externalLinks).where(and(eq(externalLinks.connectionId, connectionId), match));
}

export async function findLink(db: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<ExternalLinkRow | undefined> {
  const query = db.select().from(externalLinks).where(eq(externalLinks.id, id)).limit(1);
  const [row] = options.forUpdate ? await query.for("update") : await query;
  return row;
}

/** Inserts a link unless the ticket is already linked to that remote object; undefined then. */
export async function insertLink(db: Executor, values: typeof externalLinks.$inferInsert): Promise<ExternalLinkRow | undefined> {
  const [row] = await db
    .insert(externalLinks)
    .values(values)
    .onConflictDoNothing({ target: [externalLinks.connectionId, externalLinks.remoteId, externalLinks.ticketId] })
    .returning();
  return row;
}

export async function updateLink(db: Executor, id: string, patch: Partial<typeof externalLinks.$inferInsert>): Promise<void> {
  await db.update(externalLinks).set(patch).where(eq(externalLinks.id, id));
}

export async function deleteLinks(db: Executor, ids: string[]): Promise<ExternalLinkRow[]> {
  if (ids.length === 0) return [];
  return db.delete(externalLinks).where(inArray(externalLinks.id, ids)).returning();
}

/** Records a failure on the links of one remote object, so admins see which tickets are stuck. */
export async function markLinksFailed(db: Executor, ids: string[], error: string): Promise<void> {
  if (ids.length === 0) return;
  await db.update(externalLinks).set({ lastError: error.slice(0, 1000) }).where(inArray(externalLinks.id, ids));
}

/** Distinct remote objects linked on a connection: what the reconcile poll looks at. */
export function linkedRemotes(db: Executor, connectionId: string) {
  return db
    .selectDistinct({ remoteId: externalLinks.remoteId, remoteKey: externalLinks.remoteKey })
    .from(externalLinks)
    .where(eq(externalLinks.connectionId, connectionId));
}

/** The tickets linked on a connection. */
export async function linkedTicketIds(db: Executor, connectionId: string): Promise<string[]> {
  const rows = await db.selectDistinct({ ticketId: externalLinks.ticketId }).from(externalLinks).where(eq(externalLinks.connectionId, connectionId));
  return rows.map((r) => r.ticketId);
}
