import type { z } from "zod";
import type { ZExternalLink } from "../../../src/presenters/presentExternalLink.js";
import { api } from "./client.ts";

/** A ticket's link to an issue in another system (Jira), with its sync state. */
export type ExternalLink = z.infer<typeof ZExternalLink>;

const ref = (s: string) => encodeURIComponent(s);

/** Under the ticket's prefix, so a stream frame about the ticket refreshes its links too. */
export const linkKeys = { ofTicket: (number: string) => ["ticket", number, "links"] as const };

export const listTicketLinks = (idOrNumber: string, signal?: AbortSignal) =>
  api<{ items: ExternalLink[] }>(`/tickets/${ref(idOrNumber)}/links`, { signal }).then((r) => r.items);

/** Queues the creation of a Jira issue from the ticket (202); the link appears once the job has run. */
export const escalateToJira = (idOrNumber: string) =>
  api<{ ticketId: string; jobId: string | null; status: "queued" }>(`/tickets/${ref(idOrNumber)}/jira`, { method: "POST" });

export const linkJiraIssue = (idOrNumber: string, key: string) => api<ExternalLink>(`/tickets/${ref(idOrNumber)}/jira/link`, { json: { key } });

/** Removes the link only; the remote issue stays. */
export const unlinkTicket = (idOrNumber: string, linkId: string) =>
  api<void>(`/tickets/${ref(idOrNumber)}/links/${ref(linkId)}`, { method: "DELETE" });
