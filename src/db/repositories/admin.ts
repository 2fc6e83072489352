import { and, asc, desc, eq, gt, ilike, inArray, ne, or, type SQL } from "drizzle-orm";
import { SYSTEM_USER_ID } from "../../domain/systemActor.js";
import { authTokens, organizations, teamMembers, teams, users } from "../schema/index.js";
import type { Executor } from "../client.js";
import type { Role } from "../../policies/actor.js";

export async function listUsers(db: Executor, filter: { role?: Role | undefined; q?: string | undefined; cursor?: string | undefined; limit: number }) {
  const conditions: SQL[] = [ne(users.id, SYSTEM_USER_ID)];
  if (filter.role) conditions.push(eq(users.role, filter.role));
  if (filter.q) conditions.push(or(ilike(users.email, `%${escapeLike(filter.q)}%`), ilike(users.name, `%${escapeLike(filter.q)}%`))!);
  if (filter.cursor) conditions.push(gt(users.id, filter.cursor));
  const rows = await db.select().from(users).where(and(...conditions)).orderBy(asc(users.id)).limit(filter.limit + 1);
  return { rows: rows.slice(0, filter.limit), nextCursor: rows.length > filter.limit ? rows[filter.limit - 1]!.id : null };
}

export async function findUser(db: Executor, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** Teams with their members, in two queries whatever the number of teams. */
export async function listTeams(db: Executor, ids?: string[]) {
  const rows = await db.select().from(teams).where(ids ? inArray(teams.id, ids) : undefined).orderBy(asc(teams.name));
  if (rows.length === 0) return [];
  const members = await db
    .select({ teamId: teamMembers.teamId, userId: teamMembers.userId, isLead: teamMembers.isLead, name: users.name })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(inArray(teamMembers.teamId, rows.map((t) => t.id)))
    .orderBy(asc(users.name));
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    members: members.filter((m) => m.teamId === t.id).map(({ userId, name, isLead }) => ({ userId, name, isLead })),
  }));
}

export async function listApiTokens(db: Executor) {
  return db
    .select({
      id: authTokens.id,
      name: authTokens.name,
      userId: authTokens.userId,
      userName: users.name,
      lastUsedAt: authTokens.lastUsedAt,
      expiresAt: authTokens.expiresAt,
      revokedAt: authTokens.revokedAt,
      createdAt: authTokens.createdAt,
    })
    .from(authTokens)
    .innerJoin(users, eq(users.id, authTokens.userId))
    .where(eq(authTokens.kind, "api"))
    .orderBy(desc(authTokens.createdAt));
}

export async function listOrganizations(db: Executor) {
  return db.select().from(organizations).orderBy(asc(organizations.name));
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
