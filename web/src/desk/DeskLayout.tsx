import { NavLink, Outlet } from "react-router";
import { useLiveUpdates } from "../api/useLiveUpdates.ts";
import { useSession } from "../auth/session.ts";
import { Brand, SignOutButton, SkipLink } from "../components/AppFrame.tsx";
import type { StreamStatus } from "../api/stream.ts";

const liveText: Record<StreamStatus, string> = { live: "Live", connecting: "Connecting…", offline: "Offline, retrying" };

/** The agents' frame: navigation, the live-connection light, and the page. */
export function DeskLayout() {
  const { user } = useSession();
  const live = useLiveUpdates(Boolean(user));
  return (
    <div className="desk">
      <SkipLink />
      <header className="desk-header">
        <Brand to="/desk" area="Desk" />
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
        <SignOutButton />
      </header>
      <Outlet />
    </div>
  );
}
