import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { organizations, users } from "../../db/schema/index.js";
import { AppError, notFound } from "../../errors.js";
import type { CustomerLinkStrategy } from "../../connectors/jira/customers/customerSettings.js";

export type OrganizationPatch = {
  name?: string | undefined;
  domain?: string | null | undefined;
  ownerId?: string | null | undefined;
  jiraMatch?: { strategy: CustomerLinkStrategy; value: string } | null | undefined;
};

/** Changes an organization. Its CSM must be an active agent or admin: a customer cannot own an account. */
export async function updateOrganization(options: { db: Db; organizationId: string; patch: OrganizationPatch }) {
  const { db, patch } = options;
  if (patch.ownerId) {
    const [owner] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, patch.ownerId), inArray(users.role, ["admin", "agent"]), eq(users.isActive, true)));
    if (!owner) throw new AppError("UNPROCESSABLE", "ownerId must be an active agent or admin", { field: "ownerId" });
  }
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) {
    const [row] = await db.select().from(organizations).where(eq(organizations.id, options.organizationId));
    if (!row) throw notFound("organization");
    return row;
  }
  const [row] = await db.update(organizations).set(set).where(eq(organizations.id, options.organizationId)).returning();
  if (!row) throw notFound("organization");
  return row;
}
