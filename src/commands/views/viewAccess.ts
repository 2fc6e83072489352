import { isAdmin, type Actor } from "../../policies/actor.js";
import { AppError, notFound } from "../../errors.js";
import type { SavedViewRow } from "../../db/repositories/savedViews.js";

/**
 * Who may change or delete a view. Someone else's private view does not exist for the actor
 * (404, so ids cannot be probed); a view shared with them is visible but not theirs (403),
 * except that an admin may delete a shared one, to tidy the list everyone sees.
 */
export function authorizeViewChange(actor: Actor, view: SavedViewRow | undefined, action: "update" | "delete"): SavedViewRow {
  if (!view || (view.ownerId !== actor.id && !view.shared)) throw notFound("view");
  if (view.ownerId === actor.id) return view;
  if (action === "delete" && isAdmin(actor)) return view;
  throw new AppError("FORBIDDEN", action === "delete" ? "only its owner or an admin may delete a shared view" : "only its owner may change a view");
}
