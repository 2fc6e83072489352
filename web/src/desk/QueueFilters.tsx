import { useEffect, useId, useState, type ReactNode, type RefObject } from "react";
import type { Team, User } from "../api/types.ts";
import { categories } from "../lib/ticketRules.ts";
import { allPriorities, allSources, allStatuses as statuses, priorityLabels, sourceLabels, statusLabels } from "../lib/labels.ts";
import { allStatuses, openPreset, type QueueFilters as Filters } from "./queueFilters.ts";

const sorts = [
  { value: "sla_due", label: "SLA due, soonest first" },
  { value: "-created_at", label: "Newest first" },
  { value: "created_at", label: "Oldest first" },
  { value: "-updated_at", label: "Recently updated" },
  { value: "-priority", label: "Priority, highest first" },
] as const;

type Props = {
  filters: Filters;
  onChange: (change: Partial<Filters>) => void;
  staff: User[];
  teams: Team[];
  searchRef: RefObject<HTMLInputElement | null>;
};

/** A labelled filter. The label sits beside the control (not around it), so its name is just the label. */
function Select({ label, value, onChange, children }: { label: string; value: string; onChange: (v: string) => void; children: ReactNode }) {
  const id = useId();
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}

/** The queue's filter bar. Every filter runs on the server; search and tag apply on Enter. */
export function QueueFilters({ filters, onChange, staff, teams, searchRef }: Props) {
  const [q, setQ] = useState(filters.q);
  const [tag, setTag] = useState(filters.tag);
  // Follow the URL when it changes underneath (back button, a shared link).
  useEffect(() => setQ(filters.q), [filters.q]);
  useEffect(() => setTag(filters.tag), [filters.tag]);

  return (
    <form
      className="queue-filters"
      role="search"
      aria-label="Filter the queue"
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ q, tag: tag.trim().toLowerCase() });
      }}
    >
      <div className="filter filter-search">
        <label htmlFor="queue-search">Search</label>
        <input id="queue-search" ref={searchRef} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Words in subject, description or thread" />
      </div>
      <Select label="Status" value={filters.status} onChange={(status) => onChange({ status })}>
        <option value={openPreset}>All open</option>
        <option value={allStatuses}>Any status</option>
        {statuses.map((s) => (
          <option key={s} value={s}>
            {statusLabels[s]}
          </option>
        ))}
      </Select>
      <Select label="Priority" value={filters.priority} onChange={(priority) => onChange({ priority })}>
        <option value="">Any</option>
        {allPriorities.map((p) => (
          <option key={p} value={p}>
            {priorityLabels[p]}
          </option>
        ))}
      </Select>
      <Select label="Assignee" value={filters.assignee} onChange={(assignee) => onChange({ assignee })}>
        <option value="">Anyone</option>
        <option value="me">Me</option>
        <option value="unassigned">Unassigned</option>
        {staff.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </Select>
      <Select label="Team" value={filters.team} onChange={(team) => onChange({ team })}>
        <option value="">Any</option>
        {teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
      </Select>
      <Select label="Category" value={filters.category} onChange={(category) => onChange({ category })}>
        <option value="">Any</option>
        {categories.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </Select>
      <Select label="Source" value={filters.source} onChange={(source) => onChange({ source })}>
        <option value="">Any</option>
        {allSources.map((s) => (
          <option key={s} value={s}>
            {sourceLabels[s]}
          </option>
        ))}
      </Select>
      <div className="filter">
        <label htmlFor="queue-tag">Tag</label>
        <input id="queue-tag" type="text" value={tag} onChange={(e) => setTag(e.target.value)} onBlur={() => tag.trim().toLowerCase() !== filters.tag && onChange({ tag: tag.trim().toLowerCase() })} size={10} />
      </div>
      <Select label="Created" value={filters.period} onChange={(period) => onChange({ period })}>
        <option value="">Any time</option>
        <option value="24h">Last 24 hours</option>
        <option value="7d">Last 7 days</option>
        <option value="30d">Last 30 days</option>
        <option value="90d">Last 90 days</option>
      </Select>
      <Select label="Sort" value={filters.sort} onChange={(sort) => onChange({ sort })}>
        {sorts.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </Select>
      <button type="submit" className="button">
        Search
      </button>
    </form>
  );
}
