import { and, eq } from "drizzle-orm";
import { notifications, teamMembers, users } from "../../db/schema/index.js";
import type { Executor } from "../../db/client.js";
import type { TicketRow } from "../../db/repositories/findTicket.js";
import { SYSTEM_USER_ID } from "../../domain/systemActor.js";

export type Audience = "assignee" | "team_leads" | "admins";

/** Who hears about an SLA event: the assignee at the first warning, leads (or admins) on escalation, admins on breach. */
export async function recipients(tx: Executor, ticket: TicketRow, audience: Audience): Promise<string[]> {
  if (audience === "assignee") return ticket.assigneeId ? [ticket.assigneeId] : recipients(tx, ticket, "team_leads");
  if (audience === "team_leads" && ticket.teamId) {
    const leads = await tx
      .select({ id: teamMembers.userId })
      .from(teamMembers)
      .where(and(eq(teamMembers.teamId, ticket.teamId), eq(teamMembers.isLead, true)));
    if (leads.length) return leads.map((l) => l.id);
  }
  return adminIds(tx);
}

/** Every active admin (never the automation identity). */
export async function adminIds(tx: Executor): Promise<string[]> {
  const admins = await tx.select({ id: users.id }).from(users).where(and(eq(users.role, "admin"), eq(users.isActive, true)));
  return admins.map((a) => a.id).filter((id) => id !== SYSTEM_USER_ID);
}

export async function notifyPeople(
  tx: Executor,
  userIds: string[],
  notice: { kind: string; ticketId: string | null; title: string; data: Record<string, unknown>; deliverAfter: Date },
): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  await tx.insert(notifications).values(unique.map((userId) => ({ userId, ...notice })));
}
