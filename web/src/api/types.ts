/**
 * The API's shapes. The core ones come straight from the server's response schemas (type-only,
 * erased from the bundle), so a change to what /api/v1 answers breaks the web typecheck rather
 * than the screen. The rest mirror /api/openapi.json, where the server keeps no exported type.
 */
import type { z } from "zod";
import type { Attachment, Message, Ticket, ZTeam, ZTicketEvent, ZUser, ZOrganization } from "../../../src/presenters/schemas.js";
import type { TicketStatus } from "../../../src/domain/ticketStatus.js";
import type { TicketPriority } from "../../../src/domain/ticketPriority.js";
import type { TicketSource } from "../../../src/domain/ticketNumber.js";

export type { Attachment, Message, Ticket, TicketStatus, TicketPriority, TicketSource };
export type TicketDetail = Ticket & { messages: Message[] };
export type TicketEvent = z.infer<typeof ZTicketEvent>;
export type User = z.infer<typeof ZUser>;
export type Team = z.infer<typeof ZTeam>;
export type Organization = z.infer<typeof ZOrganization>;
export type Role = User["role"];

export type Page<T> = { items: T[]; nextCursor: string | null };

export type Session = { token: string; expiresAt: string; user: User };

/** GET /tickets/{id}/sla (staff). */
export type SlaClock = {
  metric: string;
  state: "running" | "paused" | "met" | "breached";
  targetSeconds: number;
  consumedSeconds: number;
  remainingSeconds: number;
  percent: number;
  startedAt: string;
  dueAt: string | null;
  breachedAt: string | null;
  metAt: string | null;
  warnedAt: Record<string, string>;
  policy: { id: string; version: number; name: string } | null;
  timeline: { from: string; to: string; kind: string; seconds: number; label: string }[];
};

/** The anonymous contact form's answer: a number, nothing about the ticket's contents. */
export type ContactReceipt = { number: string; status: TicketStatus; message: string };

/** One frame of GET /api/v1/stream (a WebSocket). */
export type StreamFrame = {
  type: string;
  ticketId: string | null;
  ticketNumber: string | null;
  at: string;
  data: Record<string, unknown>;
};
