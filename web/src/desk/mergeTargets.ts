import { ApiError } from "../api/ApiError.ts";
import { getTicket, listTickets } from "../api/tickets.ts";
import type { Ticket } from "../api/types.ts";
import { looksLikeTicketNumber } from "../../../src/domain/ticketNumber.js";
import { allStatuses } from "../lib/labels.ts";

/**
 * What the person typed as a ticket number, if it is one: "SUP-00042", "#sup-00042", or just
 * "42", which means the source ticket's own prefix.
 */
export function asTicketNumber(input: string, sourceNumber: string): string | undefined {
  const text = input.trim().replace(/^#/, "").toUpperCase();
  if (looksLikeTicketNumber(text)) return text;
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const prefix = /^\D+/.exec(sourceNumber)?.[0] ?? "";
  const candidate = `${prefix}${text.padStart(5, "0")}`;
  return looksLikeTicketNumber(candidate) ? candidate : undefined;
}

/** Every status a ticket can be merged into: the server refuses closed targets. */
const mergeableStatuses = allStatuses.filter((s) => s !== "closed").join(",");

/**
 * Tickets the source could be merged into: the one with the typed number, else those whose
 * words match (newest first). The source itself is left out.
 */
export async function findMergeTargets(input: string, source: Ticket, signal?: AbortSignal): Promise<Ticket[]> {
  const number = asTicketNumber(input, source.number);
  if (number) {
    try {
      const ticket = await getTicket(number, signal);
      return ticket.id === source.id ? [] : [ticket];
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return [];
      throw error;
    }
  }
  const page = await listTickets({ q: input.trim(), status: mergeableStatuses, sort: "-updated_at", limit: "10" }, null, signal);
  return page.items.filter((t) => t.id !== source.id);
}

/** What a merge does, in the server's terms (mergeTickets): said before the agent confirms. */
export function mergeConsequences(sources: string[], target: string): string {
  const one = sources.length === 1;
  const names = sources.length > 1 ? `${sources.slice(0, -1).join(", ")} and ${sources.at(-1)}` : (sources[0] ?? "");
  return `${names} will be closed and ${one ? "its" : "their"} messages and attachments moved to ${target}. ${one ? "Its" : "Their"} tags are added to ${target}, and ${one ? "its" : "each"} description is kept there as an internal note. A merged ticket cannot be reopened.`;
}
