import { Link } from "react-router";
import type { CalendarRow, PolicyRow } from "../../api/admin/types.ts";
import { metricLabels, priorityLabels } from "../../lib/labels.ts";
import { describeSeconds } from "./duration.ts";
import { slaMetrics } from "./policyDraft.ts";

function conditionsText(p: PolicyRow): string {
  const c = p.definition.conditions;
  const parts: string[] = [];
  if (c.priority?.length) parts.push(`${c.priority.map((x) => priorityLabels[x]).join(" or ")} priority`);
  if (c.category?.length) parts.push(`category ${c.category.join(" or ")}`);
  for (const key of ["source", "organizationId", "teamId", "tag", "contract"] as const) {
    const values = c[key];
    if (values?.length) parts.push(`${key} ${values.length === 1 ? values[0] : `(${values.length} values)`}`);
  }
  return parts.length ? parts.join(", ") : "Every ticket";
}

/** Policies in the order they are matched, each with its targets and thresholds. */
export function PolicyList({ policies, calendars, isAdmin }: { policies: PolicyRow[]; calendars: CalendarRow[]; isAdmin: boolean }) {
  const calendarName = (id: string | null) => (id ? (calendars.find((c) => c.id === id)?.name ?? "unknown calendar") : "default calendar");
  if (policies.length === 0) return <p className="empty">No policies: tickets get no SLA clocks.</p>;
  return (
    <div className="table-scroll">
      <table className="admin-table policy-table">
        <caption className="visually-hidden">SLA policies, in matching order</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Policy</th>
            <th scope="col">Applies to</th>
            {slaMetrics.map((m) => (
              <th key={m} scope="col">
                {metricLabels[m]}
              </th>
            ))}
            <th scope="col">Warnings</th>
            {isAdmin && <th scope="col"><span className="visually-hidden">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {policies.map((p) => {
            const d = p.definition;
            const warn = slaMetrics.map((m) => d.targets[m]?.warnAt.join("/")).find(Boolean);
            return (
              <tr key={p.id} data-policy={d.name}>
                <td>{d.position}</td>
                <td>
                  <strong>{d.name}</strong>
                  {!d.isActive && <span className="badge status-closed">inactive</span>}
                  <div className="muted small">
                    v{p.version} · {calendarName(d.calendarId)}
                  </div>
                </td>
                <td>{conditionsText(p)}</td>
                {slaMetrics.map((m) => {
                  const t = d.targets[m];
                  return (
                    <td key={m} data-metric={m}>
                      {t ? `${describeSeconds(t.seconds)}${t.timeMode === "calendar" ? " (calendar)" : ""}` : <span className="muted">—</span>}
                    </td>
                  );
                })}
                <td>{warn ? `${warn}%` : "—"}</td>
                {isAdmin && (
                  <td>
                    <Link className="button button-secondary button-small" to={`/admin/sla/policies/${p.id}`}>
                      Edit<span className="visually-hidden"> {d.name}</span>
                    </Link>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
