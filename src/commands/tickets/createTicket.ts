import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { ticketEvents, tickets } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { allocateTicketNumber } from "../../db/repositories/ticketNumbers.js";
import { recordTicketEvents } from "./recordTicketEvents.js";
import { findOrCreateContact, requireAssignable, requireTeam } from "../../db/repositories/people.js";
import type { TicketRow } from "../../db/repositories/findTicket.js";
import type { TicketPriority } from "../../domain/ticketPriority.js";
import type { TicketSource } from "../../domain/ticketNumber.js";
import { isStaff, type Actor } from "../../policies/actor.js";
import { authorizePriority } from "../../policies/ticketPolicy.js";
import { AppError } from "../../errors.js";
import { normalizeTags } from "../../domain/tags.js";
import { syncTicketSla } from "../sla/syncTicketSla.js";
import { enqueueEmail } from "../../connectors/email/outbound/enqueueEmail.js";

export type CreateTicketInput = {
  db: Db;
  /** The signed-in person, or null for the anonymous contact form. */
  actor: Actor | null;
  /** Anonymous submitter, or the customer an agent files on behalf of. */
  contact?: { email: string; name?: string | undefined } | undefined;
  subject: string;
  description: string;
  category?: string | undefined;
  priority?: TicketPriority | undefined;
  source: TicketSource;
  channel: string;
  tags?: string[] | undefined;
  customFields?: Record<string, unknown> | undefined;
  assigneeId?: string | null | undefined;
  teamId?: string | null | undefined;
};

/** Files a ticket: allocates its number, writes the row and its `ticket.created` event in one transaction. */
export async function createTicket(input: CreateTicketInput): Promise<TicketRow> {
  const { actor } = input;
  if (actor) authorizePriority(actor, input.priority);
  else if (input.priority === "urgent") {
    throw new AppError("FORBIDDEN", "customers cannot set priority urgent", { field: "priority" });
  }
  const isStaffActor = actor !== null && isStaff(actor);
  if (!isStaffActor && (input.assigneeId || input.teamId || input.tags?.length || input.customFields)) {
    throw new AppError("FORBIDDEN", "customers cannot set assignee, team, tags or custom fields");
  }
  if (!actor && !input.contact) throw new AppError("VALIDATION_FAILED", "sign in or give an email address", { field: "email" });

  return input.db.transaction(async (tx) => {
    const requester =
      isStaffActor && input.contact
        ? await findOrCreateContact(tx, input.contact.email, input.contact.name)
        : actor
          ? { id: actor.id, organizationId: actor.organizationId }
          : await findOrCreateContact(tx, input.contact!.email, input.contact!.name);
    if (input.assigneeId) await requireAssignable(tx, input.assigneeId);
    if (input.teamId) await requireTeam(tx, input.teamId);

    // The number is allocated last: its sequence row stays locked until commit, so everything
    // else (history, SLA) runs first and concurrent creates wait only for the final update.
    const id = randomUUID();
    const [draft] = await tx
      .insert(tickets)
      .values({
        id,
        number: `pending-${id}`,
        subject: input.subject,
        description: input.description,
        category: input.category ?? "general",
        priority: input.priority ?? "medium",
        source: input.source,
        requesterId: requester.id,
        organizationId: requester.organizationId,
        assigneeId: input.assigneeId ?? null,
        teamId: input.teamId ?? null,
        tags: normalizeTags(input.tags ?? []),
        customFields: input.customFields ?? {},
      })
      .returning();
    if (!draft) throw new Error("ticket insert returned no row");
    await recordTicketEvents(tx, id, actor, input.channel, [
      {
        type: "ticket.created",
        to: { number: null, status: draft.status, priority: draft.priority, source: draft.source, requesterId: requester.id },
      },
    ]);
    await syncTicketSla(tx, draft, actor, input.channel);
    const number = await allocateTicketNumber(tx, input.source);
    const [ticket] = await tx.update(tickets).set({ number }).where(eq(tickets.id, id)).returning();
    // Still uncommitted, so the history reads as if the number had been known from the start.
    await tx
      .update(ticketEvents)
      .set({ toValue: sql`jsonb_set(${ticketEvents.toValue}, '{number}', to_jsonb(${number}::text))` })
      .where(and(eq(ticketEvents.ticketId, id), eq(ticketEvents.type, "ticket.created")));
    await enqueueEmail(tx, { ticketId: id, kind: "received" });
    return ticket!;
  });
}
