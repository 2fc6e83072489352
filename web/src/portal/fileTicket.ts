import { createTicket, postMessage, uploadAttachment, type NewTicket } from "../api/tickets.ts";
import type { TicketDetail } from "../api/types.ts";

export type Filed = { ticket: TicketDetail; attachProblem?: unknown };

/**
 * Files a ticket, then its attachments. POST /tickets takes no files and an upload that no
 * message claims is never shown in the thread, so the files go up as the requester's first
 * message. The ticket exists once the first call succeeds: a failed upload is reported on the
 * ticket's page rather than losing the request.
 */
export async function fileTicket(input: NewTicket, files: readonly File[]): Promise<Filed> {
  const ticket = await createTicket(input);
  if (files.length === 0) return { ticket };
  try {
    const ids: string[] = [];
    for (const file of files) ids.push((await uploadAttachment(ticket.number, file, false)).id);
    await postMessage(ticket.number, {
      body: `Files attached to this request: ${files.map((f) => f.name).join(", ")}`,
      internal: false,
      attachmentIds: ids,
    });
    return { ticket };
  } catch (attachProblem) {
    return { ticket, attachProblem };
  }
}
