import { AppError } from "../errors.js";
import type { TicketPriority } from "../domain/ticketPriority.js";
import type { TicketStatus } from "../domain/ticketStatus.js";
import { isStaff, type Actor } from "./actor.js";

export type TicketChangeRequest = {
  status?: TicketStatus | undefined;
  priority?: TicketPriority | undefined;
  assigneeId?: string | null | undefined;
  teamId?: string | null | undefined;
  tags?: string[] | undefined;
  customFields?: Record<string, unknown> | undefined;
  subject?: string | undefined;
  category?: string | undefined;
  isEscalated?: boolean | undefined;
};

/** Fields a customer may change on a ticket they can see. Everything else is staff-only. */
const customerFields = new Set(["status", "priority", "category"]);
/** A customer may close their ticket or reopen it; agents drive the rest of the workflow. */
const customerStatuses = new Set<TicketStatus>(["closed", "open"]);

export function authorizeTicketChange(actor: Actor, change: TicketChangeRequest): void {
  if (isStaff(actor)) return;
  for (const [field, value] of Object.entries(change)) {
    if (value === undefined) continue;
    if (!customerFields.has(field)) {
      throw new AppError("FORBIDDEN", `customers cannot change ${field}`, { field });
    }
  }
  authorizePriority(actor, change.priority);
  if (change.status !== undefined && !customerStatuses.has(change.status)) {
    throw new AppError("FORBIDDEN", "customers can only close or reopen a ticket", { field: "status" });
  }
}

export function authorizePriority(actor: Actor, priority: TicketPriority | undefined): void {
  if (priority === "urgent" && !isStaff(actor)) {
    throw new AppError("FORBIDDEN", "customers cannot set priority urgent", { field: "priority" });
  }
}

export function requireStaff(actor: Actor): void {
  if (!isStaff(actor)) throw new AppError("FORBIDDEN", "only agents and admins may do this");
}
