import { NavLink } from "react-router";

type Section = { to: string; label: string; isAdminOnly: boolean };

/** Agents can read people, teams and SLA settings (the API lets them); the rest is for admins. */
export const adminSections: Section[] = [
  { to: "/admin/users", label: "Users and roles", isAdminOnly: false },
  { to: "/admin/teams", label: "Teams", isAdminOnly: false },
  { to: "/admin/sla", label: "SLA calendars and policies", isAdminOnly: false },
  { to: "/admin/connections", label: "Connections", isAdminOnly: true },
  { to: "/admin/webhooks", label: "Webhooks", isAdminOnly: true },
  { to: "/admin/tokens", label: "API tokens", isAdminOnly: true },
  { to: "/admin/jobs", label: "Failed jobs", isAdminOnly: true },
];

export function AdminNav({ isAdmin }: { isAdmin: boolean }) {
  return (
    <nav className="admin-nav" aria-label="Admin">
      <ul>
        <li>
          <NavLink to="/admin" end>
            Overview
          </NavLink>
        </li>
        {adminSections
          .filter((s) => isAdmin || !s.isAdminOnly)
          .map((s) => (
            <li key={s.to}>
              <NavLink to={s.to}>{s.label}</NavLink>
            </li>
          ))}
      </ul>
    </nav>
  );
}
