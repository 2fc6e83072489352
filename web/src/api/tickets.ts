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
