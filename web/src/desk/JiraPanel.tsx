import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "../api/ApiError.ts";
import { escalateToJira, linkJiraIssue, linkKeys, listTicketLinks, unlinkTicket, type ExternalLink } from "../api/links.ts";
import { queryKeys } from "../api/queryKeys.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Loading } from "../components/Loading.tsx";
import { formatDateTime, timeAgo } from "../lib/time.ts";

const keyPattern = /^[A-Za-z][A-Za-z0-9_]{0,49}-\d{1,12}$/;

function LinkItem({ link, onUnlink, isBusy }: { link: ExternalLink; onUnlink: () => void; isBusy: boolean }) {
  const name = link.remoteKey ?? link.remoteId;
  return (
    <li className="external-link" data-key={name}>
      <div className="external-link-head">
        {link.remoteUrl ? (
          <a href={link.remoteUrl} target="_blank" rel="noreferrer" className="mono">
            {name}
          </a>
        ) : (
          <span className="mono">{name}</span>
        )}
        <span className="badge">{link.remoteStatus ?? "status not synced"}</span>
        <button type="button" className="link-button" onClick={onUnlink} disabled={isBusy} aria-label={`Unlink ${name}`}>
          Unlink
        </button>
      </div>
      <p className="muted">
        {link.lastSyncedAt ? (
          <>
            Synced <time dateTime={link.lastSyncedAt} title={formatDateTime(link.lastSyncedAt)}>{timeAgo(link.lastSyncedAt)}</time>
          </>
        ) : (
          "Not synced yet"
        )}
        {link.connectionStatus !== "active" && ` · sync paused: the connection is ${link.connectionStatus.replaceAll("_", " ")}`}
      </p>
      {link.lastError && <p className="link-error">Last sync failed: {link.lastError}</p>}
    </li>
  );
}

/**
 * The ticket's Jira issues with their sync state, and the two ways to add one: escalate (the
 * server creates the issue in the background) or link an existing issue by key. The server's
 * refusal (no connection, paused, already linked) is shown in its own words.
 */
export function JiraPanel({ number }: { number: string }) {
  const client = useQueryClient();
  const links = useQuery({ queryKey: linkKeys.ofTicket(number), queryFn: ({ signal }) => listTicketLinks(number, signal) });
  const [key, setKey] = useState("");
  const [keyError, setKeyError] = useState<string>();
  const [notice, setNotice] = useState("");
  const refresh = () => {
    void client.invalidateQueries({ queryKey: linkKeys.ofTicket(number) });
    void client.invalidateQueries({ queryKey: queryKeys.ticketEvents(number) });
  };
  const escalate = useMutation({
    mutationFn: () => escalateToJira(number),
    onSuccess: () => {
      setNotice("Escalation queued: the new Jira issue appears here once Jira has created it.");
      refresh();
    },
  });
  const link = useMutation({
    mutationFn: (issueKey: string) => linkJiraIssue(number, issueKey),
    onSuccess: (created) => {
      setKey("");
      setNotice(`Linked to ${created.remoteKey ?? created.remoteId}.`);
      refresh();
    },
    onError: (error) => setKeyError(error instanceof ApiError ? error.fieldErrors.key : undefined),
  });
  const unlink = useMutation({
    mutationFn: (l: ExternalLink) => unlinkTicket(number, l.id),
    onSuccess: (_, l) => {
      setNotice(`Unlinked ${l.remoteKey ?? l.remoteId}; the Jira issue itself stays.`);
      refresh();
    },
  });
  const hasJiraLink = links.data?.some((l) => l.system === "jira") ?? false;
  const linkError = link.error && !keyError ? link.error : null;

  return (
    <section className="panel jira-panel" aria-labelledby="jira-title">
      <h2 id="jira-title">Jira</h2>
      {links.isPending ? (
        <Loading />
      ) : links.error ? (
        <ErrorMessage error={links.error} title="Links unavailable" />
      ) : links.data.length === 0 ? (
        <p className="muted">No linked issues.</p>
      ) : (
        <ul className="external-links" aria-label="Linked issues">
          {links.data.map((l) => (
            <LinkItem key={l.id} link={l} onUnlink={() => unlink.mutate(l)} isBusy={unlink.isPending} />
          ))}
        </ul>
      )}
      <p role="status" className="muted">
        {notice}
      </p>
      {!hasJiraLink && (
        <button type="button" className="button button-secondary" onClick={() => escalate.mutate()} disabled={escalate.isPending}>
          {escalate.isPending ? "Escalating…" : "Escalate to Jira"}
        </button>
      )}
      {escalate.error && <ErrorMessage error={escalate.error} title="Not escalated" />}
      {unlink.error && <ErrorMessage error={unlink.error} title="Not unlinked" />}
      <form
        className="control"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const issueKey = key.trim().toUpperCase();
          if (!keyPattern.test(issueKey)) {
            setKeyError("Enter a Jira issue key like ABC-123.");
            return;
          }
          setKeyError(undefined);
          link.mutate(issueKey);
        }}
      >
        <label htmlFor="jira-key">Link existing issue</label>
        <div className="inline">
          <input
            id="jira-key"
            type="text"
            value={key}
            onChange={(e) => {
              setKey(e.target.value);
              setKeyError(undefined);
              link.reset();
            }}
            placeholder="ABC-123"
            size={12}
            aria-invalid={keyError ? true : undefined}
            aria-describedby={keyError ? "jira-key-error" : undefined}
          />
          <button type="submit" className="button button-secondary" disabled={link.isPending || !key.trim()}>
            Link
          </button>
        </div>
        {keyError && (
          <p className="field-error" id="jira-key-error">
            {keyError}
          </p>
        )}
      </form>
      {linkError && <ErrorMessage error={linkError} title="Not linked" />}
    </section>
  );
}
