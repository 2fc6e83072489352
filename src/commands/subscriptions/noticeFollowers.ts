import { and, eq, or } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { subscriptions, tickets, users } from "../../db/schema/index.js";
import type { TicketEventInput } from "../../db/repositories/ticketEvents.js";
import { notifyPeople } from "../notifications/notifyPeople.js";

const CLOSING = new Set(["resolved", "closed"]);

/** What a change means to a follower, or null when it is nothing they asked to hear about. */
function describe(event: TicketEventInput): { title: string; isResolution: boolean; isNote: boolean } | null {
  if (event.type === "ticket.status_changed" || event.type === "ticket.reopened") {
    const to = String(event.to);
    return { title: `is now ${to.replaceAll("_", " ")}`, isResolution: CLOSING.has(to), isNote: false };
  }
  if (event.type === "reply.added") return { title: "has a new reply", isResolution: false, isNote: false };
  if (event.type === "note.added") return { title: "has a new internal note", isResolution: false, isNote: true };
  return null;
}

/**
 * Tells the people who follow a ticket about the change just recorded, inside its transaction.
 * `resolved` followers hear only of resolution; `updates` followers of every status change and
 * public reply. Customers never hear of notes, and a follower who may no longer see the ticket
 * (moved organization, deactivated) hears nothing. The person who made the change is skipped.
 */
export async function noticeFollowers(tx: Executor, ticketId: string, actorId: string | null, events: readonly TicketEventInput[]): Promise<void> {
  const changes = events.map(describe).filter((c) => c !== null);
  if (changes.length === 0) return;
  const followers = await tx
    .select({ userId: users.id, role: users.role, notifyOn: subscriptions.notifyOn, number: tickets.number, subject: tickets.subject })
    .from(subscriptions)
    .innerJoin(users, eq(users.id, subscriptions.userId))
    .innerJoin(tickets, eq(tickets.id, subscriptions.ticketId))
    .where(
      and(
        eq(subscriptions.ticketId, ticketId),
        eq(users.isActive, true),
        // The customer-visibility rule of policies/ticketScope.ts, for the follower instead of the actor.
        or(
          eq(users.role, "agent"),
          eq(users.role, "admin"),
          eq(tickets.requesterId, users.id),
          and(eq(users.isOrgManager, true), eq(users.organizationId, tickets.organizationId)),
        ),
      ),
    );
  // Followers who hear the same thing share one insert (one per distinct title, never one per person).
  const byTitle = new Map<string, { userIds: string[]; data: Record<string, unknown> }>();
  for (const follower of followers) {
    if (follower.userId === actorId) continue;
    const isStaff = follower.role !== "customer";
    const heard = changes.filter((c) => (follower.notifyOn === "resolved" ? c.isResolution : true) && (isStaff || !c.isNote));
    if (heard.length === 0) continue;
    const title = `${follower.number} ${heard.map((c) => c.title).join(", ")}`;
    const group = byTitle.get(title) ?? { userIds: [], data: { number: follower.number, subject: follower.subject } };
    group.userIds.push(follower.userId);
    byTitle.set(title, group);
  }
  for (const [title, group] of byTitle) {
    await notifyPeople(tx, group.userIds, { kind: "ticket.followed", ticketId, title, data: group.data, deliverAfter: new Date() });
  }
}
