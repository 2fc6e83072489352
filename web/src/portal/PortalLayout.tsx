import { NavLink, Outlet } from "react-router";
import { useLiveUpdates } from "../api/useLiveUpdates.ts";
import { isStaffRole, useSession } from "../auth/session.ts";
import { Brand, SignOutButton, SkipLink } from "../components/AppFrame.tsx";

/** The customer portal's frame: a skip link, the header with navigation, then the page. */
export function PortalLayout() {
  const { user } = useSession();
  // Customers see agents' replies arrive on an open ticket page without reloading.
  useLiveUpdates(Boolean(user));
  return (
    <div className="portal">
      <SkipLink />
      <header className="portal-header">
        <Brand to="/" area="Support" />
        <nav aria-label="Portal">
          {user ? (
            <>
              <NavLink to="/tickets" end>
                My tickets
              </NavLink>
              <NavLink to="/tickets/new">New request</NavLink>
              {isStaffRole(user) && <NavLink to="/desk">Agent desk</NavLink>}
              <SignOutButton />
            </>
          ) : (
            <>
              <NavLink to="/contact">Contact us</NavLink>
              <NavLink to="/login">Sign in</NavLink>
            </>
          )}
        </nav>
      </header>
      <Outlet />
      <footer className="portal-footer">
        {user ? <span>Signed in as {user.email}</span> : <span>Switchboard support portal</span>}
      </footer>
    </div>
  );
}
