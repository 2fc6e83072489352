import { tickets } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { allocateTicketNumber } from "../../db/repositories/ticketNumbers.js";
import { appendTicketEvents } from "../../db/repositories/ticketEvents.js";
import { findOrCreateContact, requireAssignable, requireTeam } from "../../db/repositories/people.js";
import type { TicketRow } from "../../db/repositories/findTicket.js";
import type { TicketPriority } from "../../domain/ticketPriority.js";
import type { TicketSource } from "../../domain/ticketNumber.js";
import { isStaff, type Actor } from "../../policies/actor.js";
import { authorizePriority } from "../../policies/ticketPolicy.js";
import { AppError } from "../../errors.js";
import { normalizeTags } from "../../domain/tags.js";
import { syncTicketSla } from "../sla/syncTicketSla.js";

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

    const number = await allocateTicketNumber(tx, input.source);
    const [ticket] = await tx
      .insert(tickets)
      .values({
        number,
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
    if (!ticket) throw new Error("ticket insert returned no row");
    await appendTicketEvents(tx, ticket.id, actor, input.channel, [
      {
        type: "ticket.created",
        to: { number, status: ticket.status, priority: ticket.priority, source: ticket.source, requesterId: requester.id },
      },
    ]);
    await syncTicketSla(tx, ticket, actor, input.channel);
    return ticket;
  });
}
