import { Link } from "react-router";
import { useSession } from "../auth/session.ts";

/**
 * Admin screens (users, teams, SLA, connections, webhooks, tokens, failed jobs) and the
 * dashboard are still to come; until then this says so and points to the API that does it all.
 */
export function AdminPage() {
  const { user } = useSession();
  return (
    <main id="main" className="narrow">
      <h1>Admin</h1>
      {user?.role !== "admin" ? (
        <p>Only admins can change Switchboard's settings.</p>
      ) : (
        <p>
          The admin screens are not built yet. Everything they will offer is available through the API: see the{" "}
          <a href="/api/docs">API documentation</a>.
        </p>
      )}
      <p>
        <Link to="/desk">Back to the queue</Link>
      </p>
    </main>
  );
}
