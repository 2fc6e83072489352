import { api } from "../client.ts";
import type { Team } from "../types.ts";

export type TeamInput = { name?: string; description?: string; members?: { userId: string; isLead: boolean }[] };

export const createTeam = (input: TeamInput) => api<Team>("/teams", { json: input });

/** `members` replaces the whole membership. */
export const updateTeam = (teamId: string, input: TeamInput) =>
  api<Team>(`/teams/${encodeURIComponent(teamId)}`, { method: "PATCH", json: input });
