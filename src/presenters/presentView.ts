import { z } from "zod";
import type { SavedViewWithOwner } from "../db/repositories/savedViews.js";
import type { Actor } from "../policies/actor.js";

export const ZSavedView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    filters: z.record(z.string(), z.string()).meta({ description: "GET /tickets's query parameters (and `sort`) for this view." }),
    shared: z.boolean().meta({ description: "Every agent sees a shared view; only its owner changes it." }),
    ownerId: z.uuid(),
    ownerName: z.string(),
    mine: z.boolean().meta({ description: "The viewer owns it, so may change and delete it." }),
  })
  .meta({ id: "SavedView" });
export type SavedView = z.infer<typeof ZSavedView>;

export function presentView({ view, ownerName }: SavedViewWithOwner, viewer: Actor): SavedView {
  return { id: view.id, name: view.name, filters: view.filters, shared: view.shared, ownerId: view.ownerId, ownerName, mine: view.ownerId === viewer.id };
}
