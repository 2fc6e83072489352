import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { isUniqueViolation } from "../../db/isUniqueViolation.js";
import { savedViews } from "../../db/schema/index.js";
import type { Actor } from "../../policies/actor.js";
import { duplicateViewName } from "./createView.js";
import { authorizeViewChange } from "./viewAccess.js";

export type ViewChanges = { name?: string | undefined; filters?: Record<string, string> | undefined; shared?: boolean | undefined };

/** Renames a view, replaces its filters or shares it; only its owner may. */
export async function updateView(options: { db: Db; actor: Actor; viewId: string; changes: ViewChanges }) {
  const { changes } = options;
  try {
    return await options.db.transaction(async (tx) => {
      const [current] = await tx.select().from(savedViews).where(eq(savedViews.id, options.viewId)).for("update");
      const view = authorizeViewChange(options.actor, current, "update");
      const update: Partial<typeof savedViews.$inferInsert> = { updatedAt: new Date() };
      if (changes.name !== undefined) update.name = changes.name;
      if (changes.filters !== undefined) update.filters = changes.filters;
      if (changes.shared !== undefined) update.shared = changes.shared;
      const [row] = await tx.update(savedViews).set(update).where(eq(savedViews.id, view.id)).returning();
      return row!;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateViewName();
    throw e;
  }
}
