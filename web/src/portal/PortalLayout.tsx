import { Link, NavLink, Outlet, useNavigate } from "react-router";
import { useLiveUpdates } from "../api/useLiveUpdates.ts";
import { isStaffRole, useSession, useSignOut } from "../auth/session.ts";

/** The customer portal's frame: a skip link, the header with navigation, then the page. */
export function PortalLayout() {
  const { user } = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  // Customers see agents' replies arrive on an open ticket page without reloading.
  useLiveUpdates(Boolean(user));
  return (
    <div className="portal">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="portal-header">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Switchboard <span className="brand-sub">Support</span>
        </Link>
        <nav aria-label="Portal">
          {user ? (
            <>
              <NavLink to="/tickets" end>
                My tickets
              </NavLink>
              <NavLink to="/tickets/new">New request</NavLink>
              {isStaffRole(user) && <NavLink to="/desk">Agent desk</NavLink>}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  void signOut().then(() => navigate("/login"));
                }}
              >
                Sign out
              </button>
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
