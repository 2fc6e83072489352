import { Link, Navigate } from "react-router";
import { Loading } from "../components/Loading.tsx";
import { isStaffRole, useSession } from "../auth/session.ts";

/** Signed-in people go straight to their work; visitors choose between signing in and writing to us. */
export function PortalHome() {
  const { user, isLoading } = useSession();
  if (isLoading) return <Loading />;
  if (user) return <Navigate to={isStaffRole(user) ? "/desk" : "/tickets"} replace />;
  return (
    <main id="main" className="narrow">
      <h1>How can we help?</h1>
      <div className="cards">
        <section className="card">
          <h2>Have an account?</h2>
          <p>Sign in to file requests, follow their progress and reply to our team.</p>
          <Link className="button" to="/login">
            Sign in
          </Link>
        </section>
        <section className="card">
          <h2>No account needed</h2>
          <p>Tell us what is wrong and we will answer by email. You get a ticket number straight away.</p>
          <Link className="button button-secondary" to="/contact">
            Contact support
          </Link>
        </section>
      </div>
    </main>
  );
}
