import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { getWebhook, listDeliveries, sendWebhookTest } from "../../api/admin/webhooks.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Loading } from "../../components/Loading.tsx";
import { Feedback, useNotice } from "../components/Feedback.tsx";
import { DeliveryRow } from "./DeliveryRow.tsx";

/**
 * /admin/webhooks/:webhookId: the delivery log, newest first. Deliveries are not on the live
 * stream, so the log asks again every few seconds while one is still pending, and only then.
 */
export function DeliveriesPage() {
  const { webhookId = "" } = useParams();
  const client = useQueryClient();
  const notice = useNotice();
  const webhook = useQuery({ queryKey: [...adminKeys.webhooks, webhookId], queryFn: ({ signal }) => getWebhook(webhookId, signal) });
  const deliveries = useInfiniteQuery({
    queryKey: adminKeys.deliveries(webhookId),
    queryFn: ({ pageParam, signal }) => listDeliveries(webhookId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((d) => d.status === "pending")) ? 3000 : false),
  });
  const test = useMutation({
    mutationFn: () => sendWebhookTest(webhookId),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: adminKeys.deliveries(webhookId) });
      notice.success("A test ping is queued; it appears below.");
    },
    onError: (e) => notice.failure(e, "The test was not sent"),
  });
  const rows = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/webhooks">Webhooks</Link>
      </p>
      <div className="page-head">
        <h1>Delivery log</h1>
        <div className="actions">
          <button type="button" className="button button-secondary" disabled={test.isPending} onClick={() => test.mutate()}>
            Send test
          </button>
          <button type="button" className="button button-secondary" disabled={deliveries.isFetching} onClick={() => void deliveries.refetch()}>
            {deliveries.isFetching ? "Refreshing…" : "Refresh"}
          </button>
        </div>
      </div>
      {webhook.data && (
        <p className="meta">
          To <span className="mono">{webhook.data.url}</span> · {webhook.data.active ? "enabled" : "disabled"} · events: {webhook.data.events.join(", ")}
        </p>
      )}
      {webhook.error && <ErrorMessage error={webhook.error} title="The webhook could not be loaded" />}
      <Feedback notice={notice.notice} onDismiss={notice.clear} />
      {deliveries.isPending ? (
        <Loading label="Loading deliveries…" />
      ) : deliveries.error ? (
        <ErrorMessage error={deliveries.error} title="The delivery log could not be loaded" />
      ) : rows.length === 0 ? (
        <p className="empty">Nothing sent yet. Send a test to see one.</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table">
            <caption className="visually-hidden">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <DeliveryRow key={d.id} delivery={d} onDone={notice.success} onError={(e) => notice.failure(e, "Not redelivered")} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deliveries.hasNextPage && (
        <button type="button" className="button button-secondary load-more" disabled={deliveries.isFetchingNextPage} onClick={() => void deliveries.fetchNextPage()}>
          Load more
        </button>
      )}
    </>
  );
}
