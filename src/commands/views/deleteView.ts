import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { savedViews } from "../../db/schema/index.js";
import type { Actor } from "../../policies/actor.js";
import { authorizeViewChange } from "./viewAccess.js";

/** Deletes a view: its owner, or an admin for a shared one. */
export async function deleteView(options: { db: Db; actor: Actor; viewId: string }): Promise<void> {
  await options.db.transaction(async (tx) => {
    const [current] = await tx.select().from(savedViews).where(eq(savedViews.id, options.viewId)).for("update");
    const view = authorizeViewChange(options.actor, current, "delete");
    await tx.delete(savedViews).where(eq(savedViews.id, view.id));
  });
}
