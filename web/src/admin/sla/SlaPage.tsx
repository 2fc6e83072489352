import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { listCalendars, listPolicies } from "../../api/admin/sla.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Loading } from "../../components/Loading.tsx";
import { useIsAdmin } from "../components/AdminOnly.tsx";
import { CalendarList } from "./CalendarList.tsx";
import { PolicyList } from "./PolicyList.tsx";

/** SLA policies (matched in order) and the business calendars they count time on. */
export function SlaPage() {
  const isAdmin = useIsAdmin();
  const policies = useQuery({ queryKey: adminKeys.policies, queryFn: ({ signal }) => listPolicies(signal) });
  const calendars = useQuery({ queryKey: adminKeys.calendars, queryFn: ({ signal }) => listCalendars(signal) });
  const error = policies.error ?? calendars.error;
  return (
    <>
      <h1>SLA calendars and policies</h1>
      {!isAdmin && <p className="muted">Only admins can change SLA settings.</p>}
      <section aria-labelledby="policies-title" className="admin-section">
        <div className="page-head">
          <h2 id="policies-title">Policies</h2>
          {isAdmin && (
            <Link className="button" to="/admin/sla/policies/new">
              New policy
            </Link>
          )}
        </div>
        <p className="muted">A ticket gets the first active policy, in this order, whose conditions it meets. Targets count business time on the policy's calendar unless marked otherwise.</p>
        {error ? (
          <ErrorMessage error={error} title="SLA settings could not be loaded" />
        ) : policies.data && calendars.data ? (
          <PolicyList policies={policies.data} calendars={calendars.data} isAdmin={isAdmin} />
        ) : (
          <Loading label="Loading policies…" />
        )}
      </section>
      <section aria-labelledby="calendars-title" className="admin-section">
        <div className="page-head">
          <h2 id="calendars-title">Business calendars</h2>
          {isAdmin && (
            <Link className="button" to="/admin/sla/calendars/new">
              New calendar
            </Link>
          )}
        </div>
        {calendars.error ? null : calendars.isPending ? <Loading label="Loading calendars…" /> : <CalendarList calendars={calendars.data} isAdmin={isAdmin} />}
      </section>
    </>
  );
}
