import type { Role } from "../../api/types.ts";

export const roleLabels: Record<Role, string> = { admin: "Admin", agent: "Agent", customer: "Customer" };
