import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "../api/queryKeys.ts";
import { getTicketSla } from "../api/tickets.ts";
import type { Ticket } from "../api/types.ts";
import { drivingClock, levelLabels, levelOf, type SlaLevel } from "../lib/sla.ts";
import { metricLabels } from "../lib/labels.ts";
import { shortDuration } from "../lib/time.ts";

/**
 * The SLA countdown of a queue row: time left until the ticket's next SLA deadline, coloured
 * by how far its clock has run (green, amber from 75%, red from 90%, then breached). The list
 * carries only the deadline, so the percentage comes from the ticket's own clocks, fetched per
 * visible row and refreshed when the stream reports a change to that ticket.
 */
export function SlaBadge({ ticket, now }: { ticket: Ticket; now: number }) {
  const hasDeadline = ticket.slaDueAt !== null;
  const sla = useQuery({
    queryKey: queryKeys.ticketSla(ticket.number),
    queryFn: ({ signal }) => getTicketSla(ticket.number, signal),
    enabled: hasDeadline,
    staleTime: 60_000,
  });
  if (!hasDeadline) return <span className="muted" aria-label="No SLA deadline">—</span>;
  const due = new Date(ticket.slaDueAt!).getTime();
  const clock = sla.data ? drivingClock(sla.data) : undefined;
  const isPast = due <= now;
  const level: SlaLevel | "unknown" = clock ? levelOf(clock.percent, clock.state === "breached" || isPast) : isPast ? "breached" : "unknown";
  const left = shortDuration((due - now) / 1000);
  const text = level === "breached" ? `breached ${left} ago` : clock?.state === "paused" ? `paused, ${left}` : `${left} left`;
  const metric = clock ? (metricLabels[clock.metric] ?? clock.metric) : "SLA";
  const title = clock ? `${metric}: ${clock.percent}% of target used, ${levelLabels[level as SlaLevel]}` : `${metric} due ${new Date(due).toLocaleString()}`;
  return (
    <span className={`sla-badge sla-${level}`} title={title} data-level={level}>
      {text}
    </span>
  );
}
