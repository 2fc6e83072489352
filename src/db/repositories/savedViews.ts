import { asc, eq, or, sql } from "drizzle-orm";
import { savedViews, users } from "../schema/index.js";
import type { Executor } from "../client.js";
import type { Actor } from "../../policies/actor.js";

export type SavedViewRow = typeof savedViews.$inferSelect;
export type SavedViewWithOwner = { view: SavedViewRow; ownerName: string };

function selectViews(db: Executor) {
  return db.select({ view: savedViews, ownerName: users.name }).from(savedViews).innerJoin(users, eq(users.id, savedViews.ownerId)).$dynamic();
}

/** The actor's own views and the views others shared, by name. */
export function listVisibleViews(db: Executor, actor: Actor): Promise<SavedViewWithOwner[]> {
  return selectViews(db)
    .where(or(eq(savedViews.ownerId, actor.id), eq(savedViews.shared, true)))
    .orderBy(sql`lower(${savedViews.name})`, asc(savedViews.name), asc(savedViews.id));
}

/** One view with its owner's name, whoever may see it; callers decide visibility. */
export async function findView(db: Executor, viewId: string): Promise<SavedViewWithOwner | undefined> {
  const [row] = await selectViews(db).where(eq(savedViews.id, viewId));
  return row;
}
