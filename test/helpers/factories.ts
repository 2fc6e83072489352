import { randomUUID } from "node:crypto";
import { authTokens, users } from "../../src/db/schema/index.js";
import { generateToken, hashToken } from "../../src/auth/tokens.js";
import { createTicket } from "../../src/commands/tickets/createTicket.js";
import { createOrganization } from "../../src/commands/organizations/createOrganization.js";
import type { TicketRow } from "../../src/db/repositories/findTicket.js";
import type { UserRow } from "../../src/db/repositories/people.js";
import type { Actor, Role } from "../../src/policies/actor.js";
import type { TicketPriority } from "../../src/domain/ticketPriority.js";
import type { TestContext } from "./testApp.js";

export type TestUser = UserRow & { token: string; actor: Actor };

/** A person with a live session token; no password hashing, so factories stay fast. */
export async function buildUser(
  ctx: TestContext,
  role: Role,
  overrides: Partial<typeof users.$inferInsert> = {},
): Promise<TestUser> {
  const suffix = randomUUID().slice(0, 8);
  const [user] = await ctx.db
    .insert(users)
    .values({ email: `${role}-${suffix}@example.test`, name: `${role} ${suffix}`, role, ...overrides })
    .returning();
  const token = generateToken("session");
  await ctx.db.insert(authTokens).values({ userId: user!.id, kind: "session", tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3600_000) });
  const actor: Actor = {
    id: user!.id,
    role: user!.role,
    email: user!.email,
    name: user!.name,
    organizationId: user!.organizationId,
    isOrgManager: user!.isOrgManager,
  };
  return { ...user!, token, actor };
}

export const buildAgent = (ctx: TestContext, o: Partial<typeof users.$inferInsert> = {}) => buildUser(ctx, "agent", o);
export const buildAdmin = (ctx: TestContext, o: Partial<typeof users.$inferInsert> = {}) => buildUser(ctx, "admin", o);
export const buildCustomer = (ctx: TestContext, o: Partial<typeof users.$inferInsert> = {}) => buildUser(ctx, "customer", o);

export async function buildOrganization(ctx: TestContext, name = `Org ${randomUUID().slice(0, 6)}`) {
  return createOrganization({ db: ctx.db, name });
}

/** A ticket filed by `requester` through the same command the API uses. */
export async function buildTicket(
  ctx: TestContext,
  requester: TestUser,
  overrides: { subject?: string; description?: string; priority?: TicketPriority; category?: string } = {},
): Promise<TicketRow> {
  return createTicket({
    db: ctx.db,
    actor: requester.actor,
    subject: overrides.subject ?? "Printer on floor 3 is jammed",
    description: overrides.description ?? "The printer shows error E42 and will not print anything at all.",
    priority: overrides.priority ?? "medium",
    category: overrides.category ?? "general",
    source: "api",
    channel: "api",
  });
}
