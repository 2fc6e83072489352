import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useLocation, useParams } from "react-router";
import { ApiError } from "../api/ApiError.ts";
import { queryKeys } from "../api/queryKeys.ts";
import { sendMessage } from "../api/sendMessage.ts";
import { getTicket, getTicketEvents, updateTicket } from "../api/tickets.ts";
import type { TicketDetail } from "../api/types.ts";
import { useSession } from "../auth/session.ts";
import { StatusBadge } from "../components/Badges.tsx";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Field } from "../components/Field.tsx";
import { FilePicker } from "../components/FilePicker.tsx";
import { History } from "../components/History.tsx";
import { Loading } from "../components/Loading.tsx";
import { Thread } from "../components/Thread.tsx";
import { checkAttachments } from "../lib/attachmentRules.ts";
import { isStatusEvent } from "../lib/describeEvent.ts";
import { priorityLabels } from "../lib/labels.ts";
import { formatDateTime, timeAgo } from "../lib/time.ts";
import type { FiledState } from "./NewTicketPage.tsx";

function ReplyForm({ ticket }: { ticket: TicketDetail }) {
  const client = useQueryClient();
  const [body, setBody] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [bodyError, setBodyError] = useState<string>();
  const fileError = checkAttachments(files);
  const send = useMutation({
    mutationFn: () => sendMessage(ticket.number, body.trim(), files, false),
    onSuccess: () => {
      setBody("");
      setFiles([]);
      void client.invalidateQueries({ queryKey: queryKeys.ticket(ticket.number) });
      void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = body.trim() ? undefined : "Write your reply first.";
    setBodyError(problem);
    if (!problem && !fileError) send.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="form reply-form" aria-label="Reply">
      <h2>Reply</h2>
      {send.error && <ErrorMessage title="Your reply was not sent" error={send.error} />}
      <Field label="Your message" error={bodyError ?? (send.error instanceof ApiError ? send.error.fieldErrors.body : undefined)}>
        <textarea rows={5} value={body} onChange={(e) => setBody(e.target.value)} />
      </Field>
      <FilePicker files={files} onChange={setFiles} error={fileError} />
      <button type="submit" className="button" disabled={send.isPending}>
        {send.isPending ? "Sending…" : "Send reply"}
      </button>
    </form>
  );
}

/** One request as its customer sees it: the conversation (never internal notes), actions, history. */
export function TicketPage() {
  const { number = "" } = useParams();
  const location = useLocation();
  const filed = location.state as FiledState | null;
  const client = useQueryClient();
  const { user } = useSession();
  const ticket = useQuery({ queryKey: queryKeys.ticket(number), queryFn: ({ signal }) => getTicket(number, signal) });
  const events = useQuery({ queryKey: queryKeys.ticketEvents(number), queryFn: ({ signal }) => getTicketEvents(number, signal) });
  const change = useMutation({
    mutationFn: (status: "open" | "closed") => updateTicket(number, { status }),
    onSuccess: (updated) => {
      client.setQueryData(queryKeys.ticket(number), updated);
      void client.invalidateQueries({ queryKey: queryKeys.ticket(number) });
      void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
    },
  });

  if (ticket.isPending) return <Loading />;
  if (ticket.error) {
    return (
      <main id="main" className="narrow">
        <ErrorMessage error={ticket.error} title="This ticket could not be shown" />
        <Link to="/tickets">Back to my tickets</Link>
      </main>
    );
  }
  const t = ticket.data;
  const isClosed = t.status === "closed";
  const canReopen = (t.status === "resolved" || isClosed) && !t.mergedIntoId;
  return (
    <main id="main" className="ticket-page">
      <p className="breadcrumb">
        <Link to="/tickets">My tickets</Link> / <span className="mono">{t.number}</span>
      </p>
      {filed?.isNew && (
        <div className="alert alert-success" role="status">
          Your request was received as <strong>{t.number}</strong>. We will reply here and by email.
        </div>
      )}
      {filed?.attachProblem && <ErrorMessage title="Your files were not attached" error={new Error(`${filed.attachProblem}. Add them with a reply below.`)} />}
      <div className="page-head">
        <h1>
          <span className="mono ticket-ref">{t.number}</span> {t.subject}
        </h1>
        <StatusBadge status={t.status} audience="customer" />
      </div>
      <p className="meta">
        Opened {formatDateTime(t.createdAt)} · Last update {timeAgo(t.updatedAt)} · Priority {priorityLabels[t.priority]} · Category {t.category}
      </p>
      <div className="actions">
        {!isClosed && (
          <button type="button" className="button button-secondary" onClick={() => change.mutate("closed")} disabled={change.isPending}>
            Close this request
          </button>
        )}
        {canReopen && (
          <button type="button" className="button button-secondary" onClick={() => change.mutate("open")} disabled={change.isPending}>
            Reopen
          </button>
        )}
      </div>
      {change.error && <ErrorMessage title="The status was not changed" error={change.error} />}
      <div className="ticket-columns">
        <div>
          <Thread ticket={t} audience="customer" viewerId={user?.id} />
          {isClosed ? (
            <p className="alert alert-info">This request is closed. Reopen it to write to us again.</p>
          ) : (
            <ReplyForm key={t.number} ticket={t} />
          )}
        </div>
        <aside>
          {events.data ? (
            <History events={events.data.filter(isStatusEvent)} title="Status history" />
          ) : events.error ? (
            <ErrorMessage error={events.error} title="History unavailable" />
          ) : (
            <Loading />
          )}
        </aside>
      </div>
    </main>
  );
}
