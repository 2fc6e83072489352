import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { listWebhooks } from "../../api/admin/webhooks.ts";
import type { WebhookWithSecret } from "../../api/admin/types.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Feedback, useNotice } from "../components/Feedback.tsx";
import { SecretOnce } from "../components/SecretOnce.tsx";
import { WebhookForm } from "./WebhookForm.tsx";
import { WebhookRow } from "./WebhookRow.tsx";

/** Outbound webhooks: create, enable or disable, rotate the secret, test, and each one's delivery log. */
export function WebhooksPage() {
  const webhooks = useInfiniteQuery({
    queryKey: adminKeys.webhooks,
    queryFn: ({ pageParam, signal }) => listWebhooks(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const [isCreating, setIsCreating] = useState(false);
  const [secret, setSecret] = useState<{ title: string; w: WebhookWithSecret } | null>(null);
  const notice = useNotice();
  const rows = webhooks.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <div className="page-head">
        <h1>Webhooks</h1>
        {!isCreating && (
          <button type="button" className="button" onClick={() => { notice.clear(); setIsCreating(true); }}>
            New webhook
          </button>
        )}
      </div>
      <p className="muted">Each delivery is signed with HMAC-SHA256 (header <code>X-Switchboard-Signature</code>); see the receiver's guide, docs/webhooks.md.</p>
      {secret && (
        <SecretOnce
          title={secret.title}
          secret={secret.w.secret}
          note={`The signing secret of ${secret.w.url}. Give it to the receiver so it can check each delivery's signature.`}
          onDone={() => setSecret(null)}
        />
      )}
      <Feedback notice={notice.notice} onDismiss={notice.clear} />
      {isCreating && (
        <WebhookForm
          onCancel={() => setIsCreating(false)}
          onCreated={(w) => {
            setIsCreating(false);
            notice.success(`The webhook to ${w.url} is created and enabled.`);
            setSecret({ title: "The new webhook's signing secret", w });
          }}
        />
      )}
      {webhooks.isPending ? (
        <Loading label="Loading webhooks…" />
      ) : webhooks.error ? (
        <ErrorMessage error={webhooks.error} title="Webhooks could not be loaded" />
      ) : rows.length === 0 ? (
        <p className="empty">No webhooks yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table">
            <caption className="visually-hidden">Webhooks</caption>
            <thead>
              <tr>
                <th scope="col">Sends to</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((w) => (
                <WebhookRow
                  key={w.id}
                  webhook={w}
                  onDone={notice.success}
                  onError={(e) => notice.failure(e)}
                  onSecret={(u) => {
                    notice.success(`The secret of ${u.url} is replaced; the old one no longer verifies.`);
                    setSecret({ title: "The new signing secret", w: u });
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {webhooks.hasNextPage && (
        <button type="button" className="button button-secondary load-more" disabled={webhooks.isFetchingNextPage} onClick={() => void webhooks.fetchNextPage()}>
          Load more
        </button>
      )}
    </>
  );
}
