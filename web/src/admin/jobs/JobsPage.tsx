import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { listFailedJobs, type JobState } from "../../api/admin/jobs.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Feedback, useNotice } from "../components/Feedback.tsx";
import { JobRow } from "./JobRow.tsx";

const filters: { state: JobState; label: string }[] = [
  { state: "", label: "All" },
  { state: "dead", label: "Gave up" },
  { state: "retrying", label: "Retrying" },
];

/** Background jobs that failed: the ones that gave up (kept 30 days) and the ones waiting to retry. */
export function JobsPage() {
  const [state, setState] = useState<JobState>("");
  const jobs = useInfiniteQuery({
    queryKey: adminKeys.jobList(state),
    queryFn: ({ pageParam, signal }) => listFailedJobs(state, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const notice = useNotice();
  const rows = jobs.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Failed jobs</h1>
        <button type="button" className="button button-secondary" disabled={jobs.isFetching} onClick={() => void jobs.refetch()}>
          {jobs.isFetching ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <p className="muted">Mail, webhooks and Jira sync run in the background and retry by themselves. A job that runs out of attempts waits here for 30 days.</p>
      <div className="segmented" role="group" aria-label="Show">
        {filters.map((f) => (
          <button key={f.state || "all"} type="button" aria-pressed={state === f.state} onClick={() => setState(f.state)}>
            {f.label}
          </button>
        ))}
      </div>
      <Feedback notice={notice.notice} onDismiss={notice.clear} />
      {jobs.isPending ? (
        <Loading label="Loading failed jobs…" />
      ) : jobs.error ? (
        <ErrorMessage error={jobs.error} title="Failed jobs could not be loaded" />
      ) : rows.length === 0 ? (
        <p className="empty">No failed jobs{state === "dead" ? " that gave up" : state === "retrying" ? " waiting to retry" : ""}. Everything ran.</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table">
            <caption className="visually-hidden">Failed jobs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((j) => (
                <JobRow key={j.id} job={j} onDone={notice.success} onError={(e) => notice.failure(e)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {jobs.hasNextPage && (
        <button type="button" className="button button-secondary load-more" disabled={jobs.isFetchingNextPage} onClick={() => void jobs.fetchNextPage()}>
          Load more
        </button>
      )}
    </>
  );
}
