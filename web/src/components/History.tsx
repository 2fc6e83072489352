import type { TicketEvent } from "../api/types.ts";
import { describeEvent, type Names } from "../lib/describeEvent.ts";
import { formatDateTime } from "../lib/time.ts";

/** A ticket's history, oldest first: what changed, who did it, when. */
export function History({ events, names, title = "History" }: { events: TicketEvent[]; names?: Names | undefined; title?: string }) {
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">{title}</h2>
      {events.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ol className="history">
          {events.map((e) => (
            <li key={e.id}>
              <span>{describeEvent(e, names)}</span>
              <span className="muted">
                {e.actor ? `${e.actor.name} · ` : ""}
                <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
