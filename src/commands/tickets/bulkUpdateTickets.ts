import type { Db } from "../../db/client.js";
import { findTicket, type TicketRow } from "../../db/repositories/findTicket.js";
import { applyTagChanges } from "../../domain/tags.js";
import { AppError } from "../../errors.js";
import type { Actor } from "../../policies/actor.js";
import { requireStaff, type TicketChangeRequest } from "../../policies/ticketPolicy.js";
import { applyTicketChanges } from "./applyTicketChanges.js";

export type BulkChange = Omit<TicketChangeRequest, "tags" | "customFields" | "subject"> & {
  addTags?: string[] | undefined;
  removeTags?: string[] | undefined;
};

export type BulkResult =
  | { ref: string; ok: true; ticket: TicketRow }
  | { ref: string; ok: false; error: AppError };

/**
 * Applies one change to many tickets in a single transaction. Each ticket runs in its own
 * savepoint, so an illegal transition on one is reported without undoing the others.
 */
export async function bulkUpdateTickets(options: {
  db: Db;
  actor: Actor;
  refs: string[];
  change: BulkChange;
  channel: string;
}): Promise<BulkResult[]> {
  requireStaff(options.actor);
  const { addTags = [], removeTags = [], ...rest } = options.change;
  const refs = [...new Set(options.refs)];
  return options.db.transaction(async (tx) => {
    const results: BulkResult[] = [];
    for (const ref of refs) {
      try {
        const ticket = await tx.transaction(async (sp) => {
          const current = await findTicket(sp, options.actor, ref, { forUpdate: true });
          const tags = addTags.length || removeTags.length ? applyTagChanges(current.tags, addTags, removeTags) : undefined;
          return applyTicketChanges(sp, options.actor, current, { ...rest, tags }, options.channel);
        });
        results.push({ ref, ok: true, ticket });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        results.push({ ref, ok: false, error });
      }
    }
    return results;
  });
}
