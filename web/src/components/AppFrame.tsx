import { Link, useNavigate } from "react-router";
import { useSignOut } from "../auth/session.ts";

/** The first focusable thing on every page: straight to `#main`, past the header. */
export function SkipLink() {
  return (
    <a className="skip-link" href="#main">
      Skip to content
    </a>
  );
}

/** The logo and the area's name (Support, Desk, Admin), linking to the area's home. */
export function Brand({ to, area }: { to: string; area: string }) {
  return (
    <Link to={to} className="brand">
      <span className="brand-mark" aria-hidden="true" />
      Switchboard <span className="brand-sub">{area}</span>
    </Link>
  );
}

/** Signs out and goes to the sign-in page. */
export function SignOutButton() {
  const signOut = useSignOut();
  const navigate = useNavigate();
  return (
    <button
      type="button"
      className="link-button"
      onClick={() => {
        void signOut().then(() => navigate("/login"));
      }}
    >
      Sign out
    </button>
  );
}
