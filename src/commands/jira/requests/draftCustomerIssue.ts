import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../../db/client.js";
import { organizations, tickets, users } from "../../../db/schema/index.js";
import { openStatuses } from "../../../domain/ticketStatus.js";
import { notFound } from "../../../errors.js";

export type CustomerIssueDraft = {
  organization: { id: string; name: string; slug: string; domain: string | null };
  csm: { id: string; name: string } | null;
  contacts: { id: string; name: string; email: string }[];
  openTickets: { id: string; number: string; subject: string; priority: string; status: string }[];
  /** What would be sent as the description: the organization and ticket references, never contact details. */
  descriptionContext: string;
};

const MAX_TICKETS = 50;

/**
 * The customer context a new Jira issue starts from (the CSM requirements' FR-4): the
 * organization, its CSM, contacts and open tickets. The requester and the approver see all of
 * it; only the organization's name and the ticket numbers and subjects go to Jira, because
 * contact details are customer PII the mapping does not list (the support-backend security note).
 */
export async function draftCustomerIssue(db: Executor, organizationId: string): Promise<CustomerIssueDraft> {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
  if (!org) throw notFound("organization");
  const [csm] = org.ownerId ? await db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, org.ownerId)) : [];
  const contacts = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.organizationId, org.id), eq(users.role, "customer"), eq(users.isActive, true)))
    .orderBy(asc(users.name))
    .limit(100);
  const open = await db
    .select({ id: tickets.id, number: tickets.number, subject: tickets.subject, priority: tickets.priority, status: tickets.status })
    .from(tickets)
    .where(and(eq(tickets.organizationId, org.id), inArray(tickets.status, [...openStatuses])))
    .orderBy(asc(tickets.number))
    .limit(MAX_TICKETS);
  return {
    organization: { id: org.id, name: org.name, slug: org.slug, domain: org.domain },
    csm: csm ?? null,
    contacts,
    openTickets: open,
    descriptionContext: contextMarkdown(org.name, open),
  };
}

export function contextMarkdown(organizationName: string, open: { number: string; subject: string; priority: string }[]): string {
  const lines = [`**Customer:** ${organizationName}`];
  if (open.length > 0) {
    lines.push("", `**Open support tickets (${open.length}):**`);
    for (const t of open) lines.push(`- ${t.number} (${t.priority}): ${t.subject}`);
  }
  return lines.join("\n");
}
