import { api } from "./client.ts";
import type { Organization, Page, Team, User } from "./types.ts";

/** Everyone a ticket can be assigned to: agents and admins (the server accepts both). */
export async function listStaff(signal?: AbortSignal): Promise<User[]> {
  const [agents, admins] = await Promise.all([
    api<Page<User>>("/users?role=agent&limit=200", { signal }),
    api<Page<User>>("/users?role=admin&limit=200", { signal }),
  ]);
  return [...agents.items, ...admins.items].filter((u) => u.isActive).sort((a, b) => a.name.localeCompare(b.name));
}

export const listTeams = (signal?: AbortSignal) => api<{ items: Team[] }>("/teams", { signal }).then((r) => r.items);

export const listOrganizations = (signal?: AbortSignal) =>
  api<{ items: Organization[] }>("/organizations", { signal }).then((r) => r.items);
