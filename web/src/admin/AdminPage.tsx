import { Link, Navigate, Route, Routes } from "react-router";
import { useLiveUpdates } from "../api/useLiveUpdates.ts";
import { useSession } from "../auth/session.ts";
import { Brand, SignOutButton, SkipLink } from "../components/AppFrame.tsx";
import { AdminNav } from "./AdminNav.tsx";
import { AdminOverview } from "./AdminOverview.tsx";
import { AdminOnly } from "./components/AdminOnly.tsx";
import { UsersPage } from "./users/UsersPage.tsx";
import { TeamsPage } from "./teams/TeamsPage.tsx";
import { SlaPage } from "./sla/SlaPage.tsx";
import { PolicyEditPage } from "./sla/PolicyEditPage.tsx";
import { CalendarEditPage } from "./sla/CalendarEditPage.tsx";
import { ConnectionsPage } from "./connections/ConnectionsPage.tsx";
import { WebhooksPage } from "./webhooks/WebhooksPage.tsx";
import { DeliveriesPage } from "./webhooks/DeliveriesPage.tsx";
import { TokensPage } from "./tokens/TokensPage.tsx";
import { JobsPage } from "./jobs/JobsPage.tsx";
import "../styles/admin.css";

/**
 * Settings for users, teams, SLA, connections, webhooks, API tokens and failed jobs, under
 * /admin/*. Agents may look at what the API shows them (people, teams, SLA); the rest, and every
 * change, is for admins, and the server enforces the same.
 */
export function AdminPage() {
  const { user } = useSession();
  useLiveUpdates(Boolean(user));
  return (
    <div className="desk admin">
      <SkipLink />
      <header className="desk-header">
        <Brand to="/admin" area="Admin" />
        <nav aria-label="Areas">
          <Link to="/desk">Queue</Link>
          <Link to="/desk/dashboard">Dashboard</Link>
          <Link to="/tickets">Portal</Link>
        </nav>
        <span className="whoami">{user?.name}</span>
        <SignOutButton />
      </header>
      <div className="admin-body">
        <AdminNav isAdmin={user?.role === "admin"} />
        <main id="main" className="admin-main">
          <Routes>
            <Route index element={<AdminOverview />} />
            <Route path="users" element={<UsersPage />} />
            <Route path="teams" element={<TeamsPage />} />
            <Route path="sla" element={<SlaPage />} />
            <Route path="sla/policies/:policyId" element={<AdminOnly what="edit SLA policies"><PolicyEditPage /></AdminOnly>} />
            <Route path="sla/calendars/:calendarId" element={<AdminOnly what="edit business calendars"><CalendarEditPage /></AdminOnly>} />
            <Route path="connections" element={<AdminOnly what="manage connections"><ConnectionsPage /></AdminOnly>} />
            <Route path="webhooks" element={<AdminOnly what="manage webhooks"><WebhooksPage /></AdminOnly>} />
            <Route path="webhooks/:webhookId" element={<AdminOnly what="see webhook deliveries"><DeliveriesPage /></AdminOnly>} />
            <Route path="tokens" element={<AdminOnly what="manage API tokens"><TokensPage /></AdminOnly>} />
            <Route path="jobs" element={<AdminOnly what="see failed jobs"><JobsPage /></AdminOnly>} />
            <Route path="*" element={<Navigate to="/admin" replace />} />
          </Routes>
        </main>
      </div>
    </div>
  );
}
