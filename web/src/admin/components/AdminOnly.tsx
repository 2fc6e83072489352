import type { ReactNode } from "react";
import { Link } from "react-router";
import { useSession } from "../../auth/session.ts";

/** The page for admins; anyone else is told so in words (the server would refuse them anyway). */
export function AdminOnly({ what, children }: { what: string; children: ReactNode }) {
  const { user } = useSession();
  if (user?.role === "admin") return <>{children}</>;
  return (
    <div className="admin-only">
      <h1>Only admins</h1>
      <p>
        Only admins can {what}. Ask an admin of your Switchboard if something here needs changing, or go back to the{" "}
        <Link to="/desk">queue</Link>.
      </p>
    </div>
  );
}

/** True for admins; agents get read-only versions of the pages they may see. */
export function useIsAdmin(): boolean {
  return useSession().user?.role === "admin";
}
