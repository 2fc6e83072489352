import { useQuery } from "@tanstack/react-query";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { getJiraConnection } from "../../api/admin/connections.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Loading } from "../../components/Loading.tsx";
import { JiraCard } from "./JiraCard.tsx";

/** Connections to other systems; today that is Jira. Setting one up is documented, and done through the API. */
export function ConnectionsPage() {
  const jira = useQuery({ queryKey: adminKeys.jira, queryFn: ({ signal }) => getJiraConnection(signal) });
  return (
    <>
      <h1>Connections</h1>
      {jira.isPending ? (
        <Loading label="Loading connections…" />
      ) : jira.error ? (
        <ErrorMessage error={jira.error} title="The Jira connection could not be read" />
      ) : jira.data ? (
        <JiraCard connection={jira.data} />
      ) : (
        <section className="panel connection-card" aria-labelledby="jira-title" data-status="none">
          <div className="page-head">
            <h2 id="jira-title">Jira</h2>
            <span className="badge tone-none">Not connected</span>
          </div>
          <p>
            Switchboard is not connected to Jira. A connection is set up with the <code>JIRA_*</code> settings when the server starts, or with{" "}
            <code>PUT /api/v1/connections/jira</code>; the server checks it against Jira before saving it.
          </p>
        </section>
      )}
      <p>
        How to connect Jira (sign-in options, the mapping, the webhook) is in the Jira guide, <code>docs/jira.md</code>, shipped with Switchboard. Every
        setting and action is in the <a href="/api/docs#/connections">API reference (connections)</a>.
      </p>
    </>
  );
}
