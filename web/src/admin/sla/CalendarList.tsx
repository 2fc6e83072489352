import { Link } from "react-router";
import type { CalendarRow } from "../../api/admin/types.ts";
import { dayLabels, weekDays } from "./calendarDraft.ts";

/** "Mon–Fri 09:00–17:00" style summary of a week. */
function weekText(c: CalendarRow): string {
  const d = c.definition;
  if (d.is24x7) return "Around the clock";
  const open = weekDays.filter((day) => d.week[day].length > 0);
  if (open.length === 0) return "No working time";
  return open.map((day) => `${dayLabels[day].slice(0, 3)} ${d.week[day].map(([a, b]) => `${a}–${b}`).join(", ")}`).join("; ");
}

/** Business calendars: zone, week and holidays at a glance. */
export function CalendarList({ calendars, isAdmin }: { calendars: CalendarRow[]; isAdmin: boolean }) {
  if (calendars.length === 0) return <p className="empty">No calendars yet.</p>;
  return (
    <ul className="admin-cards">
      {calendars.map((c) => (
        <li key={c.id} className="panel" data-calendar={c.name}>
          <h3>
            {c.name} {c.isDefault && <span className="badge status-open">default</span>}
          </h3>
          <p className="muted">{c.definition.timezone}</p>
          <p>{weekText(c)}</p>
          <p className="muted">
            {c.definition.holidays.length} holiday{c.definition.holidays.length === 1 ? "" : "s"}
          </p>
          {isAdmin && (
            <Link className="button button-secondary button-small" to={`/admin/sla/calendars/${c.id}`}>
              Edit<span className="visually-hidden"> {c.name}</span>
            </Link>
          )}
        </li>
      ))}
    </ul>
  );
}
