import type { UserRow } from "../db/repositories/people.js";

export function presentUser(u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    organizationId: u.organizationId,
    isOrgManager: u.isOrgManager,
    isActive: u.isActive,
    hasPassword: u.passwordHash !== null,
    createdAt: u.createdAt.toISOString(),
  };
}
