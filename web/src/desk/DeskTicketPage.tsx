import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { queryKeys } from "../api/queryKeys.ts";
import { getTicket, getTicketEvents } from "../api/tickets.ts";
import { useSession } from "../auth/session.ts";
import { PriorityBadge, StatusBadge } from "../components/Badges.tsx";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { History } from "../components/History.tsx";
import { Loading } from "../components/Loading.tsx";
import { Thread } from "../components/Thread.tsx";
import { sourceLabels } from "../lib/labels.ts";
import { formatDateTime } from "../lib/time.ts";
import { useShortcuts } from "../lib/useShortcuts.ts";
import { JiraPanel } from "./JiraPanel.tsx";
import { MergeDialog } from "./MergeDialog.tsx";
import { MergedNotice } from "./MergedNotice.tsx";
import { ReplyBox, type ReplyMode } from "./ReplyBox.tsx";
import { SlaPanel } from "./SlaPanel.tsx";
import { TicketControls } from "./TicketControls.tsx";
import { useAssignToMe } from "./useAssignToMe.ts";
import { useDirectory } from "./useDirectory.ts";

/** One ticket as agents work it: the full thread with notes, the reply box, controls, SLA and history. */
export function DeskTicketPage() {
  const { number = "" } = useParams();
  const navigate = useNavigate();
  const { user } = useSession();
  const ticket = useQuery({ queryKey: queryKeys.ticket(number), queryFn: ({ signal }) => getTicket(number, signal) });
  const events = useQuery({ queryKey: queryKeys.ticketEvents(number), queryFn: ({ signal }) => getTicketEvents(number, signal) });
  const { staff, teams, names } = useDirectory();
  const assign = useAssignToMe();
  const [mode, setMode] = useState<ReplyMode>("reply");
  const [isMerging, setIsMerging] = useState(false);
  const textareaRef = useRef<HTMLTextAreaElement>(null);

  const startWriting = (next: ReplyMode) => {
    setMode(next);
    textareaRef.current?.focus();
  };
  useShortcuts({
    r: () => startWriting("reply"),
    n: () => startWriting("note"),
    a: () => ticket.data && assign.mutate(ticket.data.number),
    u: () => void navigate("/desk"),
  });

  if (ticket.isPending) return <Loading />;
  if (ticket.error) {
    return (
      <main id="main" className="narrow">
        <ErrorMessage error={ticket.error} title="This ticket could not be shown" />
        <Link to="/desk">Back to the queue</Link>
      </main>
    );
  }
  const t = ticket.data;
  return (
    <main id="main" className="desk-ticket">
      <p className="breadcrumb">
        <Link to="/desk">Queue</Link> / <span className="mono">{t.number}</span>
        <span className="muted shortcuts">
          {" "}
          · <kbd>r</kbd> reply · <kbd>n</kbd> note · <kbd>a</kbd> assign to me · <kbd>u</kbd> back to queue
        </span>
      </p>
      <div className="page-head">
        <h1>
          <span className="mono ticket-ref">{t.number}</span> {t.subject}
        </h1>
        <div className="page-head-side">
          <div className="badges">
            <StatusBadge status={t.status} />
            <PriorityBadge priority={t.priority} />
            {t.isEscalated && <span className="badge escalated">Escalated</span>}
          </div>
          {t.mergedIntoId === null && (
            <button type="button" className="button button-secondary" onClick={() => setIsMerging(true)}>
              Merge…
            </button>
          )}
        </div>
      </div>
      {t.mergedIntoId !== null && <MergedNotice ticket={t} />}
      {isMerging && <MergeDialog ticket={t} onClose={() => setIsMerging(false)} />}
      <p className="meta">
        {t.requester.name} &lt;{t.requester.email}&gt;
        {t.organization ? ` · ${t.organization.name}` : ""} · {sourceLabels[t.source]} · {t.category} · opened {formatDateTime(t.createdAt)}
        {t.assignee ? ` · assigned to ${t.assignee.name}` : " · unassigned"}
      </p>
      {assign.error && <ErrorMessage title="Not assigned" error={assign.error} />}
      <div className="ticket-columns">
        <div>
          <Thread ticket={t} audience="staff" />
          {/* Keyed by ticket: a draft must never carry over to another ticket. */}
          <ReplyBox key={t.number} ticket={t} mode={mode} onModeChange={setMode} textareaRef={textareaRef} />
        </div>
        <aside>
          <TicketControls key={t.number} ticket={t} staff={staff} teams={teams} me={user} onAssignToMe={() => assign.mutate(t.number)} isAssigning={assign.isPending} />
          <SlaPanel number={t.number} />
          <JiraPanel number={t.number} />
          {events.data ? <History events={events.data} names={names} /> : events.error ? <ErrorMessage error={events.error} title="History unavailable" /> : <Loading />}
        </aside>
      </div>
    </main>
  );
}
