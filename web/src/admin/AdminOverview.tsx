import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { adminKeys } from "../api/admin/adminKeys.ts";
import { getJiraConnection } from "../api/admin/connections.ts";
import { listFailedJobs } from "../api/admin/jobs.ts";
import { adminSections } from "./AdminNav.tsx";
import { useIsAdmin } from "./components/AdminOnly.tsx";
import { connectionStatusText } from "./connections/connectionStatus.ts";

const descriptions: Record<string, string> = {
  "/admin/users": "Invite people, change their role, deactivate accounts.",
  "/admin/teams": "Group agents into teams and choose each team's lead.",
  "/admin/sla": "Business hours, holidays, and the response and resolution targets per priority.",
  "/admin/connections": "The Jira connection: its status, last error and a connection test.",
  "/admin/webhooks": "Send ticket events to other systems, and see every delivery.",
  "/admin/tokens": "Tokens for scripts and integrations that call the API.",
  "/admin/jobs": "Background work that failed: retry it or discard it.",
};

/** Where each setting lives, with the two things an admin checks first: Jira's state and failed jobs. */
export function AdminOverview() {
  const isAdmin = useIsAdmin();
  const jira = useQuery({ queryKey: adminKeys.jira, queryFn: ({ signal }) => getJiraConnection(signal), enabled: isAdmin });
  const jobs = useQuery({ queryKey: adminKeys.jobSummary, queryFn: ({ signal }) => listFailedJobs("", null, signal), enabled: isAdmin });
  const jobCount = jobs.data ? `${jobs.data.items.length}${jobs.data.nextCursor ? "+" : ""}` : null;
  return (
    <>
      <h1>Admin</h1>
      {!isAdmin && <p className="alert alert-info">You can look at people, teams and SLA settings. Only admins can change them or see the other sections.</p>}
      <ul className="admin-cards">
        {adminSections
          .filter((s) => isAdmin || !s.isAdminOnly)
          .map((s) => (
            <li key={s.to} className="panel">
              <h2>
                <Link to={s.to}>{s.label}</Link>
              </h2>
              <p className="muted">{descriptions[s.to]}</p>
              {s.to === "/admin/connections" && isAdmin && (
                <p>
                  Jira:{" "}
                  {jira.isPending ? "checking…" : jira.error ? "could not be read" : jira.data ? connectionStatusText(jira.data.status).short : "not connected"}
                </p>
              )}
              {s.to === "/admin/jobs" && isAdmin && (
                <p>{jobs.isPending ? "Checking…" : jobs.error ? "The job list could not be read." : jobCount === "0" ? "No failed jobs." : `${jobCount} failed job(s) waiting.`}</p>
              )}
            </li>
          ))}
      </ul>
    </>
  );
}
