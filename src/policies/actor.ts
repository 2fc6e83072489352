export type Role = "admin" | "agent" | "customer";

/** Whoever is making a request, resolved from a session or API token. */
export type Actor = {
  id: string;
  role: Role;
  email: string;
  name: string;
  organizationId: string | null;
  isOrgManager: boolean;
};

export const isStaff = (actor: Actor): boolean => actor.role === "admin" || actor.role === "agent";
export const isAdmin = (actor: Actor): boolean => actor.role === "admin";
