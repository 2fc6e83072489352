import type { SavedView } from "../../../src/presenters/presentView.js";
import { api } from "./client.ts";

/** A saved queue view: `filters` are GET /tickets's query parameters (plus "sort"); `mine` allows changing it. */
export type { SavedView };

export type NewView = { name: string; filters: Record<string, string>; shared?: boolean };

export const viewKeys = { all: ["views"] as const };

export const listViews = (signal?: AbortSignal) => api<{ items: SavedView[] }>("/views", { signal }).then((r) => r.items);

/** 409 when the person already has a view of that name. */
export const createView = (input: NewView) => api<SavedView>("/views", { json: input });

export const updateView = (id: string, change: Partial<NewView>) =>
  api<SavedView>(`/views/${encodeURIComponent(id)}`, { method: "PATCH", json: change });

export const deleteView = (id: string) => api<void>(`/views/${encodeURIComponent(id)}`, { method: "DELETE" });
