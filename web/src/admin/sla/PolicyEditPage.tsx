import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { listCalendars, listPolicies } from "../../api/admin/sla.ts";
import { listTeams } from "../../api/people.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Loading } from "../../components/Loading.tsx";
import { formatDateTime } from "../../lib/time.ts";
import { Feedback, useNotice } from "../components/Feedback.tsx";
import { PolicyForm } from "./PolicyForm.tsx";

/** /admin/sla/policies/:policyId (or `new`): the policy's form, and what saving did. */
export function PolicyEditPage() {
  const { policyId = "new" } = useParams();
  const navigate = useNavigate();
  const policies = useQuery({ queryKey: adminKeys.policies, queryFn: ({ signal }) => listPolicies(signal) });
  const calendars = useQuery({ queryKey: adminKeys.calendars, queryFn: ({ signal }) => listCalendars(signal) });
  const teams = useQuery({ queryKey: adminKeys.teams, queryFn: ({ signal }) => listTeams(signal) });
  const notice = useNotice();
  // A new form after each save, so it starts from the version the server stored.
  const [formKey, setFormKey] = useState(0);
  const isNew = policyId === "new";
  const policy = policies.data?.find((p) => p.id === policyId) ?? null;
  const error = policies.error ?? calendars.error ?? teams.error;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/sla">SLA calendars and policies</Link>
      </p>
      <h1>{isNew ? "New SLA policy" : policy ? `Policy: ${policy.definition.name}` : "SLA policy"}</h1>
      {policy && <p className="meta">Version {policy.version}, saved {formatDateTime(policy.createdAt)}. Saving writes version {policy.version + 1}; tickets keep a record of the version they used.</p>}
      <Feedback notice={notice.notice} onDismiss={notice.clear} />
      {error ? (
        <ErrorMessage error={error} title="The policy could not be loaded" />
      ) : !policies.data || !calendars.data || !teams.data ? (
        <Loading label="Loading the policy…" />
      ) : !isNew && !policy ? (
        <p className="alert alert-error">There is no such policy. <Link to="/admin/sla">Back to the list</Link>.</p>
      ) : (
        <PolicyForm
          key={`${policyId}-${formKey}`}
          policy={policy}
          calendars={calendars.data}
          teams={teams.data}
          onSaved={(saved, rebaselined) => {
            const moved = rebaselined === null ? "" : rebaselined === 0 ? " No open tickets needed moving." : ` ${rebaselined} open ticket${rebaselined === 1 ? "" : "s"} moved to the new targets, keeping the time already used.`;
            notice.success(`${saved.definition.name} is saved as version ${saved.version}.${moved}`);
            setFormKey((k) => k + 1);
            if (isNew) void navigate(`/admin/sla/policies/${saved.id}`, { replace: true });
            window.scrollTo(0, 0);
          }}
        />
      )}
    </>
  );
}
