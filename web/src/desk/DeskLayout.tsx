import { Link, NavLink, Outlet, useNavigate } from "react-router";
import { useLiveUpdates } from "../api/useLiveUpdates.ts";
import { useSession, useSignOut } from "../auth/session.ts";
import type { StreamStatus } from "../api/stream.ts";

const liveText: Record<StreamStatus, string> = { live: "Live", connecting: "Connecting…", offline: "Offline, retrying" };

/** The agents' frame: navigation, the live-connection light, and the page. */
export function DeskLayout() {
  const { user } = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const live = useLiveUpdates(Boolean(user));
  return (
    <div className="desk">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="desk-header">
        <Link to="/desk" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Switchboard <span className="brand-sub">Desk</span>
        </Link>
        <nav aria-label="Desk">
          <NavLink to="/desk" end>
            Queue
          </NavLink>
          <NavLink to="/desk/dashboard">Dashboard</NavLink>
          {user?.role === "admin" && <NavLink to="/admin">Admin</NavLink>}
          <NavLink to="/tickets">Portal</NavLink>
        </nav>
        <span className={`live live-${live}`} role="status" title="Updates arrive by themselves while this says Live">
          {liveText[live]}
        </span>
        <span className="whoami">{user?.name}</span>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            void signOut().then(() => navigate("/login"));
          }}
        >
          Sign out
        </button>
      </header>
      <Outlet />
    </div>
  );
}
