import { eq, inArray, sql } from "drizzle-orm";
import { teamMembers, teams, users } from "../../db/schema/index.js";
import type { Db, Executor } from "../../db/client.js";
import { AppError, notFound } from "../../errors.js";
import { isUniqueViolation } from "../../db/isUniqueViolation.js";

export type TeamInput = {
  name?: string | undefined;
  description?: string | undefined;
  members?: { userId: string; isLead?: boolean | undefined }[] | undefined;
};


async function replaceMembers(tx: Executor, teamId: string, members: NonNullable<TeamInput["members"]>) {
  const ids = [...new Set(members.map((m) => m.userId))];
  if (ids.length) {
    const found = await tx.select({ role: users.role }).from(users).where(inArray(users.id, ids));
    if (found.length !== ids.length || found.some((u) => u.role === "customer")) {
      throw new AppError("UNPROCESSABLE", "members must be existing agents or admins", { field: "members" });
    }
  }
  await tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (ids.length) {
    await tx.insert(teamMembers).values(ids.map((userId) => ({ teamId, userId, isLead: members.some((m) => m.userId === userId && m.isLead) })));
  }
}

/** Creates a team (no id) or updates one, replacing its member list when given. */
export async function saveTeam(options: { db: Db; teamId?: string | undefined; input: TeamInput }): Promise<string> {
  const { input } = options;
  try {
    return await options.db.transaction(async (tx) => {
      let teamId = options.teamId;
      if (teamId) {
        const fields = { ...(input.name ? { name: input.name } : {}), ...(input.description !== undefined ? { description: input.description } : {}) };
        const [row] = await tx.update(teams).set({ ...fields, name: fields.name ?? sql`${teams.name}` }).where(eq(teams.id, teamId)).returning({ id: teams.id });
        if (!row) throw notFound("team");
      } else {
        if (!input.name) throw new AppError("VALIDATION_FAILED", "name is required", { field: "name" });
        const [row] = await tx.insert(teams).values({ name: input.name, description: input.description ?? "" }).returning({ id: teams.id });
        teamId = row!.id;
      }
      if (input.members) await replaceMembers(tx, teamId, input.members);
      return teamId;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", "a team with this name exists", { field: "name" });
    throw e;
  }
}
