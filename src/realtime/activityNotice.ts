import { z } from "zod";
import type { RecordedActivity } from "../commands/tickets/recordTicketEvents.js";

/** The PostgreSQL channel every serving process LISTENs on. */
export const ACTIVITY_CHANNEL = "switchboard_activity";

/**
 * PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. A notice carries ids and types
 * only, so it stays far below; past this bound the details are dropped rather than the notice.
 */
const MAX_PAYLOAD_BYTES = 7000;

const ZNoticeEvent = z.object({
  type: z.string().min(1).max(64),
  messageId: z.uuid().optional(),
  internal: z.boolean().optional(),
  metric: z.string().max(64).optional(),
  threshold: z.number().optional(),
});

/**
 * What travels through NOTIFY for one committed ticket change. No text rides along: the
 * listener loads the current rows, which also keeps a note's body out of the notify queue.
 */
export const ZActivityNotice = z.object({
  ticketId: z.uuid(),
  at: z.iso.datetime(),
  events: z.array(ZNoticeEvent).max(100),
});
export type ActivityNotice = z.infer<typeof ZActivityNotice>;
export type NoticeEvent = z.infer<typeof ZNoticeEvent>;

const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === "object" && key in value ? (value as Record<string, unknown>)[key] : undefined;

function noticeEvent(type: string, to: unknown): NoticeEvent {
  const event: NoticeEvent = { type };
  const messageId = field(to, "messageId");
  if ((type === "reply.added" || type === "note.added") && typeof messageId === "string") event.messageId = messageId;
  const internal = field(to, "internal");
  if (type === "attachment.added" && typeof internal === "boolean") event.internal = internal;
  if (type.startsWith("sla.")) {
    const metric = field(to, "metric");
    const threshold = field(to, "threshold");
    if (typeof metric === "string") event.metric = metric;
    if (typeof threshold === "number") event.threshold = threshold;
  }
  return event;
}

export function toNotice(activity: RecordedActivity): ActivityNotice {
  return {
    ticketId: activity.ticketId,
    at: activity.at.toISOString(),
    events: activity.events.map((e) => noticeEvent(e.type, e.to)),
  };
}

/** The NOTIFY payload; an oversized one keeps only the distinct event types. */
export function encodeNotice(notice: ActivityNotice): string {
  const full = JSON.stringify(notice);
  if (Buffer.byteLength(full) <= MAX_PAYLOAD_BYTES) return full;
  // Without message ids the listener cannot present those messages; it still tells staff the
  // ticket changed, which is better than telling no one.
  const types = JSON.stringify({ ...notice, events: [...new Set(notice.events.map((e) => e.type))].map((type) => ({ type })) });
  if (Buffer.byteLength(types) <= MAX_PAYLOAD_BYTES) return types;
  // An oversized payload would make pg_notify fail the command's transaction: never let it.
  return JSON.stringify({ ...notice, events: [{ type: "ticket.changed" }] });
}

/** Parses a payload from the channel; null for anything this version does not understand. */
export function decodeNotice(payload: string): ActivityNotice | null {
  try {
    const parsed = ZActivityNotice.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
