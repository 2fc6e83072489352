import { api, queryString } from "../client.ts";
import type { Page, Role, User } from "../types.ts";

export type UserFilters = { role?: Role | undefined; q?: string | undefined };
export type Invitation = { email: string; name: string; role: Role; organizationId?: string | null | undefined };
export type UserChange = Partial<{ name: string; role: Role; isActive: boolean; organizationId: string | null; isOrgManager: boolean }>;

export const listUsers = (filters: UserFilters, cursor: string | null, signal?: AbortSignal) =>
  api<Page<User>>(`/users${queryString({ role: filters.role, q: filters.q, cursor, limit: 50 })}`, { signal });

/** Without a password the server mails an invitation; the link is in the answer too. */
export const inviteUser = (input: Invitation) => api<User & { inviteUrl: string | null }>("/users", { json: input });

export const updateUser = (userId: string, change: UserChange) =>
  api<User>(`/users/${encodeURIComponent(userId)}`, { method: "PATCH", json: change });
