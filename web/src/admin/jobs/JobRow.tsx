import { useMutation, useQueryClient } from "@tanstack/react-query";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { discardJob, retryJob } from "../../api/admin/jobs.ts";
import type { FailedJob } from "../../api/admin/types.ts";
import { formatDateTime } from "../../lib/time.ts";
import { When } from "../components/When.tsx";

/** One failed job: what it was, how it failed, its (redacted) payload, and Retry / Discard. */
export function JobRow({ job, onDone, onError }: { job: FailedJob; onDone: (text: string) => void; onError: (e: unknown) => void }) {
  const client = useQueryClient();
  const settle = (text: string) => {
    void client.invalidateQueries({ queryKey: adminKeys.jobs });
    onDone(text);
  };
  const retry = useMutation({
    mutationFn: () => retryJob(job.id),
    onSuccess: () => settle(job.state === "dead" ? `${job.name} is queued again with a fresh set of attempts.` : `${job.name} runs now instead of waiting for its retry.`),
    onError,
  });
  const discard = useMutation({
    mutationFn: () => discardJob(job.id),
    onSuccess: () => settle(job.state === "dead" ? `${job.name} is discarded.` : `${job.name} is cancelled; it will not be retried.`),
    onError,
  });
  const isBusy = retry.isPending || discard.isPending;
  return (
    <tr data-job={job.id} data-name={job.name}>
      <td>
        <code>{job.name}</code>
        <div className="muted small">
          created <When at={job.createdAt} />
        </div>
      </td>
      <td>
        {job.state === "dead" ? (
          <>
            <span className="badge tone-danger">Gave up</span>
            {job.deadLetteredAt && <div className="small muted">{formatDateTime(job.deadLetteredAt)}</div>}
          </>
        ) : (
          <>
            <span className="badge tone-warn">Retrying</span>
            {job.nextAttemptAt && (
              <div className="small muted">
                next try <When at={job.nextAttemptAt} />
              </div>
            )}
          </>
        )}
      </td>
      <td>{job.attempts}</td>
      <td>
        <p className="error-text job-error">{job.lastError ?? "No error recorded."}</p>
        <details>
          <summary>Payload (secrets redacted)</summary>
          <pre className="payload">{JSON.stringify(job.payload, null, 2)}</pre>
        </details>
      </td>
      <td>
        <div className="row-actions">
          <button type="button" className="button button-secondary button-small" disabled={isBusy} onClick={() => retry.mutate()}>
            {job.state === "dead" ? "Retry" : "Retry now"}
            <span className="visually-hidden"> {job.name}</span>
          </button>
          <button
            type="button"
            className="button button-secondary button-small button-danger"
            disabled={isBusy}
            onClick={() => { if (window.confirm(`Discard ${job.name}? Its work will not be done.`)) discard.mutate(); }}
          >
            Discard<span className="visually-hidden"> {job.name}</span>
          </button>
        </div>
      </td>
    </tr>
  );
}
