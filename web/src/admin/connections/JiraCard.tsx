import { useMutation, useQueryClient } from "@tanstack/react-query";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { syncJiraNow, testJiraConnection } from "../../api/admin/connections.ts";
import type { JiraConnection } from "../../api/admin/types.ts";
import { formatDateTime } from "../../lib/time.ts";
import { CopyButton } from "../components/CopyButton.tsx";
import { describeError } from "../components/Feedback.tsx";
import { When } from "../components/When.tsx";
import { ConnectionReport } from "./ConnectionReport.tsx";
import { connectionStatusText } from "./connectionStatus.ts";

const text = (v: unknown) => (typeof v === "string" && v ? v : null);

/** The Jira connection: status in words, last error and sync, settings at a glance, and the test. */
export function JiraCard({ connection }: { connection: JiraConnection }) {
  const client = useQueryClient();
  const status = connectionStatusText(connection.status);
  const test = useMutation({
    mutationFn: testJiraConnection,
    onSuccess: (updated) => client.setQueryData(adminKeys.jira, updated),
  });
  const sync = useMutation({
    mutationFn: syncJiraNow,
    onSuccess: () => setTimeout(() => void client.invalidateQueries({ queryKey: adminKeys.jira }), 3000),
  });
  const s = connection.settings;
  const auth = (s.auth ?? {}) as Record<string, unknown>;
  const isAwaitingConsent = connection.status === "awaiting_authorization";
  return (
    <section className="panel connection-card" aria-labelledby="jira-title" data-status={connection.status}>
      <div className="page-head">
        <h2 id="jira-title">Jira</h2>
        <span className={`badge tone-${status.tone}`}>{status.short}</span>
      </div>
      <p>{status.advice}</p>
      <dl className="facts">
        <dt>Site</dt>
        <dd className="mono">{text(s.baseUrl) ?? "—"}</dd>
        <dt>Deployment</dt>
        <dd>{s.deployment === "server" ? "Server / Data Center" : s.deployment === "cloud" ? "Cloud" : (text(s.deployment) ?? "—")}</dd>
        <dt>Project</dt>
        <dd>
          {text(s.projectKey) ?? "—"}
          {text(s.issueType) ? `, issue type ${text(s.issueType)}` : ""}
        </dd>
        <dt>Signs in with</dt>
        <dd>{text(auth.kind) ?? "—"}{text(auth.email) ?? text(auth.username) ? ` as ${text(auth.email) ?? text(auth.username)}` : ""}</dd>
        <dt>Last sync</dt>
        <dd>
          <When at={connection.lastSyncAt} fallback="not yet" />
        </dd>
        <dt>Last error</dt>
        <dd>
          {connection.lastError ? (
            <>
              <span className="error-text">{connection.lastError}</span>{" "}
              {connection.lastErrorAt && <span className="muted">({formatDateTime(connection.lastErrorAt)})</span>}
            </>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
        <dt>Webhook address</dt>
        <dd>
          <span className="mono">{connection.webhookUrl}</span> <CopyButton text={connection.webhookUrl} label="Copy address" />
          {!connection.secrets.webhookSecret && <p className="muted">No webhook secret is stored, so Jira's webhooks are refused; changes arrive by the five-minute poll.</p>}
        </dd>
        {connection.webhookBacklog && (
          <>
            <dt>Webhooks waiting</dt>
            <dd>
              {connection.webhookBacklog.waiting === 0 ? (
                <span className="muted">none: every delivery is processed</span>
              ) : (
                <>
                  {connection.webhookBacklog.waiting} stored, not yet processed
                  {connection.webhookBacklog.oldestReceivedAt && (
                    <span className="muted"> (oldest received {formatDateTime(connection.webhookBacklog.oldestReceivedAt)}; a number that keeps growing means the workers are not running)</span>
                  )}
                </>
              )}
            </dd>
          </>
        )}
      </dl>
      <div className="actions">
        {isAwaitingConsent ? (
          <a className="button" href="/api/v1/connections/jira/authorize">
            Authorize at Atlassian
          </a>
        ) : (
          <>
            <button type="button" className="button" disabled={test.isPending} onClick={() => test.mutate()}>
              {test.isPending ? "Testing…" : "Test connection"}
            </button>
            <button type="button" className="button button-secondary" disabled={sync.isPending || connection.status !== "active"} onClick={() => sync.mutate()}>
              {sync.isPending ? "Queueing…" : "Sync now"}
            </button>
          </>
        )}
      </div>
      <p className="muted">Switchboard asks Jira for changed issues every five minutes (customers' issues every 30), and at once when a Jira webhook arrives.</p>
      <div aria-live="polite">
        {sync.isSuccess && <p className="alert alert-success">Sync queued: the poll and the customer sync run now; "Last sync" updates when they finish.</p>}
        {sync.error && (
          <p className="alert alert-error" role="alert">
            Sync could not start: {describeError(sync.error)}
          </p>
        )}
        {test.data?.report && <ConnectionReport report={test.data.report} />}
        {test.error && (
          <p className="alert alert-error" role="alert">
            The test could not run: {describeError(test.error)}
          </p>
        )}
      </div>
    </section>
  );
}
