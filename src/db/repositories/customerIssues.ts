import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { customerLinks, externalLinks, jiraIssues, jiraStatusPeriods, organizations, slaClocks, tickets, users } from "../schema/index.js";
import { openStatuses } from "../../domain/ticketStatus.js";

/** An organization's linked issues, newest change first; `state` filters by status category. */
export function organizationIssues(db: Executor, organizationId: string, filter: { state?: "open" | "done" | undefined; linkType?: string | undefined } = {}) {
  return db
    .select({ issue: jiraIssues, linkType: customerLinks.linkType, strategy: customerLinks.strategy, linkedAt: customerLinks.createdAt })
    .from(customerLinks)
    .innerJoin(jiraIssues, and(eq(jiraIssues.connectionId, customerLinks.connectionId), eq(jiraIssues.remoteId, customerLinks.remoteId)))
    .where(
      and(
        eq(customerLinks.organizationId, organizationId),
        isNull(jiraIssues.deletedAt),
        ...(filter.linkType ? [eq(customerLinks.linkType, filter.linkType)] : []),
        ...(filter.state === "done" ? [eq(jiraIssues.statusCategory, "done")] : []),
        ...(filter.state === "open" ? [sql`${jiraIssues.statusCategory} is distinct from 'done'`] : []),
      ),
    )
    .orderBy(desc(jiraIssues.remoteUpdatedAt), asc(jiraIssues.remoteKey));
}

/** Seconds spent in each status, from the recorded periods (the open one runs until `now`). */
export async function timeInStatus(db: Executor, issueId: string, now: Date) {
  const periods = await db.select().from(jiraStatusPeriods).where(eq(jiraStatusPeriods.issueId, issueId)).orderBy(asc(jiraStatusPeriods.enteredAt));
  const totals = new Map<string, { statusId: string | null; statusName: string; statusCategory: string | null; seconds: number; visits: number }>();
  for (const p of periods) {
    const key = p.statusId ?? p.statusName;
    const t = totals.get(key) ?? { statusId: p.statusId, statusName: p.statusName, statusCategory: p.statusCategory, seconds: 0, visits: 0 };
    t.seconds += Math.max(0, Math.round(((p.leftAt ?? now).getTime() - p.enteredAt.getTime()) / 1000));
    t.visits += 1;
    totals.set(key, t);
  }
  return { periods, totals: [...totals.values()] };
}

/** The organizations linked to an issue, with their CSM. */
export function issueCustomers(db: Executor, connectionId: string, remoteId: string) {
  return db
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug, ownerId: organizations.ownerId, ownerName: users.name, linkType: customerLinks.linkType, strategy: customerLinks.strategy })
    .from(customerLinks)
    .innerJoin(organizations, eq(organizations.id, customerLinks.organizationId))
    .leftJoin(users, eq(users.id, organizations.ownerId))
    .where(and(eq(customerLinks.connectionId, connectionId), eq(customerLinks.remoteId, remoteId)))
    .orderBy(asc(organizations.name));
}

/**
 * The open tickets linked to an issue, each with its organization and SLA state: `breached` when
 * a running clock is past due, `at_risk` when one has passed a warning threshold.
 */
export async function exposedTickets(db: Executor, connectionId: string, remoteId: string) {
  const rows = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      priority: tickets.priority,
      status: tickets.status,
      organizationId: tickets.organizationId,
      slaDueAt: tickets.slaDueAt,
      breached: sql<number>`(select count(*)::int from ${slaClocks} c where c.ticket_id = ${tickets.id} and c.breached_at is not null and c.met_at is null)`,
      warned: sql<number>`(select count(*)::int from ${slaClocks} c where c.ticket_id = ${tickets.id} and c.breached_at is null and c.met_at is null and c.warned_at <> '{}'::jsonb)`,
    })
    .from(externalLinks)
    .innerJoin(tickets, eq(tickets.id, externalLinks.ticketId))
    .where(and(eq(externalLinks.connectionId, connectionId), eq(externalLinks.remoteId, remoteId), inArray(tickets.status, [...openStatuses])))
    .orderBy(asc(tickets.number));
  return rows.map(({ breached, warned, ...r }) => ({ ...r, sla: breached > 0 ? ("breached" as const) : warned > 0 ? ("at_risk" as const) : ("ok" as const) }));
}
