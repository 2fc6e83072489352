import type { ReactNode } from "react";
import { Link, Navigate, useLocation } from "react-router";
import { Loading } from "../components/Loading.tsx";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { isStaffRole, useSession } from "./session.ts";

/** Renders its children for a signed-in person; sends anyone else to sign in and back. */
export function RequireUser({ children }: { children: ReactNode }) {
  const { user, isLoading, error } = useSession();
  const location = useLocation();
  if (isLoading) return <Loading />;
  if (error) return <ErrorMessage error={error} />;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children}</>;
}

/** The desk is for agents and admins; a customer who finds it is pointed back to the portal. */
export function RequireStaff({ children }: { children: ReactNode }) {
  const { user } = useSession();
  return (
    <RequireUser>
      {isStaffRole(user) ? (
        children
      ) : (
        <main className="narrow">
          <h1>Agents only</h1>
          <p>
            This part of Switchboard is for the support team. Your requests are in <Link to="/tickets">My tickets</Link>.
          </p>
        </main>
      )}
    </RequireUser>
  );
}
