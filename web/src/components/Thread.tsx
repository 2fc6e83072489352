import { attachmentUrl } from "../api/tickets.ts";
import type { Attachment, Message, TicketDetail } from "../api/types.ts";
import { formatBytes } from "../lib/attachmentRules.ts";
import { formatDateTime, timeAgo } from "../lib/time.ts";

function Files({ ticketId, files }: { ticketId: string; files: Attachment[] }) {
  if (files.length === 0) return null;
  return (
    <ul className="attachments" aria-label="Attachments">
      {files.map((f) => (
        <li key={f.id}>
          <a href={attachmentUrl(ticketId, f.id)} download={f.filename}>
            {f.filename}
          </a>{" "}
          <span className="muted">({formatBytes(f.sizeBytes)})</span>
        </li>
      ))}
    </ul>
  );
}

const roleLabel = (m: Message, audience: "staff" | "customer", viewerId: string | undefined) => {
  const role = m.author?.role;
  if (!role) return "System";
  if (role !== "customer") return "Support";
  if (audience === "staff") return "Customer";
  return m.author?.id === viewerId ? "You" : "Your organization";
};

/**
 * The conversation, oldest first: the original request, then every message. Text is shown as
 * text (never as HTML). Internal notes only ever reach staff; they are marked so nobody takes
 * one for something the customer saw.
 */
export function Thread({ ticket, audience, viewerId }: { ticket: TicketDetail; audience: "staff" | "customer"; viewerId?: string | undefined }) {
  return (
    <ol className="thread" aria-label="Conversation">
      <li className="message message-request">
        <header>
          <strong>{ticket.requester.name}</strong> <span className="muted">opened this request</span>{" "}
          <time dateTime={ticket.createdAt} title={formatDateTime(ticket.createdAt)}>
            {timeAgo(ticket.createdAt)}
          </time>
        </header>
        <div className="message-body">{ticket.description}</div>
      </li>
      {ticket.messages.map((m) => (
        <li key={m.id} className={`message ${m.internal ? "message-note" : m.author?.role === "customer" ? "message-customer" : "message-staff"}`} data-testid={m.internal ? "internal-note" : "public-message"}>
          <header>
            {m.internal && <span className="note-label">Internal note</span>}
            <strong>{m.author?.name ?? "Switchboard"}</strong> <span className="muted">{roleLabel(m, audience, viewerId)}</span>{" "}
            <time dateTime={m.createdAt} title={formatDateTime(m.createdAt)}>
              {timeAgo(m.createdAt)}
            </time>
          </header>
          <div className="message-body">{m.body}</div>
          <Files ticketId={ticket.id} files={m.attachments} />
        </li>
      ))}
    </ol>
  );
}
