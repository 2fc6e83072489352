import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "../api/queryKeys.ts";
import { getTicketSla } from "../api/tickets.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Loading } from "../components/Loading.tsx";
import { metricLabels } from "../lib/labels.ts";
import { levelLabels, levelOf } from "../lib/sla.ts";
import { formatDateTime, shortDuration } from "../lib/time.ts";

/** Each SLA clock of the ticket: how much of its target is used, when it is due, and where the time went. */
export function SlaPanel({ number }: { number: string }) {
  const sla = useQuery({ queryKey: queryKeys.ticketSla(number), queryFn: ({ signal }) => getTicketSla(number, signal) });
  return (
    <section className="panel" aria-labelledby="sla-title">
      <h2 id="sla-title">SLA</h2>
      {sla.isPending ? (
        <Loading />
      ) : sla.error ? (
        <ErrorMessage error={sla.error} title="SLA unavailable" />
      ) : sla.data.length === 0 ? (
        <p className="muted">No SLA policy applies to this ticket.</p>
      ) : (
        <ul className="sla-clocks">
          {sla.data.map((c) => {
            // A met or paused clock is not counting down, so it gets no warning colour.
            const level = c.state === "met" ? "ok" : c.state === "paused" ? "unknown" : levelOf(c.percent, c.state === "breached");
            return (
              <li key={c.metric} className={`sla-clock sla-${level}`}>
                <div className="sla-clock-head">
                  <strong>{metricLabels[c.metric] ?? c.metric}</strong>
                  <span className={`sla-badge sla-${level}`}>{c.state === "met" ? "met" : level === "unknown" ? "paused" : levelLabels[level]}</span>
                </div>
                <meter min={0} max={100} low={75} high={90} optimum={0} value={Math.min(100, c.percent)} aria-label={`${metricLabels[c.metric] ?? c.metric}: ${c.percent}% of target used`} />
                <p className="muted">
                  {c.percent}% of {shortDuration(c.targetSeconds)} used
                  {c.state === "met" && c.metAt ? ` · met ${formatDateTime(c.metAt)}` : ""}
                  {c.state !== "met" && c.dueAt ? ` · due ${formatDateTime(c.dueAt)}` : ""}
                  {c.state === "running" && c.remainingSeconds > 0 ? ` · ${shortDuration(c.remainingSeconds)} business time left` : ""}
                </p>
                {c.timeline.length > 0 && (
                  <details>
                    <summary>Timeline{c.policy ? ` (${c.policy.name} v${c.policy.version})` : ""}</summary>
                    <ol className="sla-timeline">
                      {c.timeline.map((seg, i) => (
                        <li key={i} className={`seg-${seg.kind}`}>
                          <time dateTime={seg.from}>{formatDateTime(seg.from)}</time> {seg.label}
                        </li>
                      ))}
                    </ol>
                  </details>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
