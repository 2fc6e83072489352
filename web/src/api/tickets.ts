import { api, queryString } from "./client.ts";
import type { Attachment, ContactReceipt, Message, Page, SlaClock, Ticket, TicketDetail, TicketEvent, TicketPriority, TicketStatus } from "./types.ts";

const ref = (idOrNumber: string) => encodeURIComponent(idOrNumber);

export const listTickets = (params: Record<string, string | undefined>, cursor?: string | null, signal?: AbortSignal) =>
  api<Page<Ticket>>(`/tickets${queryString({ ...params, cursor: cursor ?? undefined })}`, { signal });

export const getTicket = (idOrNumber: string, signal?: AbortSignal) => api<TicketDetail>(`/tickets/${ref(idOrNumber)}`, { signal });

export const getTicketEvents = (idOrNumber: string, signal?: AbortSignal) =>
  api<{ items: TicketEvent[] }>(`/tickets/${ref(idOrNumber)}/events`, { signal }).then((r) => r.items);

export const getTicketSla = (idOrNumber: string, signal?: AbortSignal) =>
  api<{ clocks: SlaClock[] }>(`/tickets/${ref(idOrNumber)}/sla`, { signal }).then((r) => r.clocks);

export type NewTicket = { subject: string; description: string; category: string; priority: TicketPriority };

export const createTicket = (input: NewTicket) => api<TicketDetail>("/tickets", { json: input });

/** The anonymous contact form: the answer is only the number, never the ticket. */
export const submitContactForm = (input: { email: string; name?: string | undefined; subject: string; description: string }) =>
  api<ContactReceipt>("/tickets", { json: input });

export type TicketChange = Partial<{
  status: TicketStatus;
  priority: TicketPriority;
  category: string;
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
}>;

export const updateTicket = (idOrNumber: string, change: TicketChange) =>
  api<TicketDetail>(`/tickets/${ref(idOrNumber)}`, { method: "PATCH", json: change });

export const postMessage = (idOrNumber: string, input: { body: string; internal: boolean; attachmentIds?: string[] | undefined }) =>
  api<Message>(`/tickets/${ref(idOrNumber)}/messages`, { json: input });

/** One file; `internal` goes first because the server reads parts in order. */
export function uploadAttachment(idOrNumber: string, file: File, internal: boolean) {
  const form = new FormData();
  if (internal) form.append("internal", "true");
  form.append("file", file, file.name);
  return api<Attachment>(`/tickets/${ref(idOrNumber)}/attachments`, { form });
}

export const attachmentUrl = (ticketId: string, attachmentId: string) =>
  `/api/v1/tickets/${ref(ticketId)}/attachments/${ref(attachmentId)}`;

/** POST /tickets/bulk's change: every field optional, at least one given. */
export type BulkChange = Partial<{
  status: TicketStatus;
  priority: TicketPriority;
  assigneeId: string | null;
  teamId: string | null;
  addTags: string[];
  removeTags: string[];
}>;

/** One ticket's outcome; `id` is the reference that was sent. */
export type BulkResult = {
  id: string;
  ok: boolean;
  ticket?: Ticket | undefined;
  error?: { code: string; status: number; detail: string } | undefined;
};

/** One change to many tickets; each is applied or refused on its own (one savepoint per ticket). */
export const bulkUpdateTickets = (ids: string[], changes: BulkChange) =>
  api<{ results: BulkResult[] }>("/tickets/bulk", { json: { ids, changes } }).then((r) => r.results);

/** Merges `source` into `into`: the source is closed and its messages move to the target. */
export const mergeTicket = (source: string, into: string) =>
  api<{ source: Ticket; target: Ticket }>(`/tickets/${ref(source)}/merge`, { json: { into } });

/** The CSV download of a view's tickets: a plain link, so the browser saves the file itself. */
export const ticketExportUrl = (params: Record<string, string | undefined>) =>
  `/api/v1/tickets/export${queryString({ format: "csv", ...params })}`;
