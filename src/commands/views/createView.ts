import type { Db } from "../../db/client.js";
import { isUniqueViolation } from "../../db/isUniqueViolation.js";
import { savedViews } from "../../db/schema/index.js";
import { AppError } from "../../errors.js";
import type { Actor } from "../../policies/actor.js";

export const duplicateViewName = () => new AppError("CONFLICT", "you already have a view with this name", { field: "name" });

/** Saves a queue view for the actor; names are unique per owner. */
export async function createView(options: { db: Db; actor: Actor; name: string; filters: Record<string, string>; shared?: boolean | undefined }) {
  try {
    const [row] = await options.db
      .insert(savedViews)
      .values({ ownerId: options.actor.id, name: options.name, filters: options.filters, shared: options.shared ?? false })
      .returning();
    if (!row) throw new Error("saved view insert returned no row");
    return row;
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateViewName();
    throw e;
  }
}
