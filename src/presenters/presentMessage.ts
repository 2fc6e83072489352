import type { AttachmentRow } from "../db/repositories/thread.js";
import type { MessageRow } from "../commands/tickets/replyToTicket.js";
import type { Attachment, Message } from "./schemas.js";

type Author = { id: string; name: string; role: "admin" | "agent" | "customer" } | null;

export function presentAttachment(a: AttachmentRow): Attachment {
  return {
    id: a.id,
    ticketId: a.ticketId,
    messageId: a.messageId,
    filename: a.filename,
    contentType: a.contentType,
    sizeBytes: a.sizeBytes,
    sha256: a.sha256,
    internal: a.isInternal,
    createdAt: a.createdAt.toISOString(),
  };
}

/** Callers load the thread through loadThread, which already drops internal notes for customers. */
export function presentMessage(m: { message: MessageRow; author: Author; attachments: AttachmentRow[] }): Message {
  return {
    id: m.message.id,
    ticketId: m.message.ticketId,
    author: m.author,
    body: m.message.body,
    internal: m.message.isInternal,
    channel: m.message.channel,
    createdAt: m.message.createdAt.toISOString(),
    attachments: m.attachments.map(presentAttachment),
  };
}
