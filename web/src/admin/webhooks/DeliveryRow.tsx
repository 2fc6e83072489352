import { useMutation, useQueryClient } from "@tanstack/react-query";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { redeliver } from "../../api/admin/webhooks.ts";
import type { WebhookDelivery } from "../../api/admin/types.ts";
import { formatDateTime } from "../../lib/time.ts";
import { When } from "../components/When.tsx";

const statusText: Record<WebhookDelivery["status"], { text: string; tone: string }> = {
  pending: { text: "Pending", tone: "warn" },
  delivered: { text: "Delivered", tone: "ok" },
  failed: { text: "Failed", tone: "danger" },
  skipped: { text: "Skipped", tone: "none" },
};

/** One delivery: every attempt's response code (or why there was none), the body, and redeliver. */
export function DeliveryRow({ delivery: d, onDone, onError }: { delivery: WebhookDelivery; onDone: (text: string) => void; onError: (e: unknown) => void }) {
  const client = useQueryClient();
  const again = useMutation({
    mutationFn: () => redeliver(d.webhookId, d.id),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: adminKeys.deliveries(d.webhookId) });
      onDone(`Delivery ${d.id.slice(0, 8)} (${d.event}) is queued again, with the same id and body.`);
    },
    onError,
  });
  const status = statusText[d.status];
  return (
    <tr data-delivery={d.id} data-event={d.event}>
      <td>
        <code>{d.event}</code>
        <div className="muted small mono">{d.id}</div>
      </td>
      <td>
        <When at={d.createdAt} />
      </td>
      <td>
        <span className={`badge tone-${status.tone}`}>{status.text}</span>
      </td>
      <td>
        {d.attempts.length === 0 ? (
          <span className="muted">not tried yet</span>
        ) : (
          <ol className="attempts">
            {d.attempts.map((a, i) => (
              <li key={i} className={a.success ? "ok-text" : "error-text"}>
                <time dateTime={a.attemptedAt}>{formatDateTime(a.attemptedAt)}</time>: {a.statusCode !== null ? `HTTP ${a.statusCode}` : "no response"} in {a.durationMs} ms
                {a.error ? ` (${a.error})` : ""}
              </li>
            ))}
          </ol>
        )}
        {d.payload !== null && (
          <details>
            <summary>Body sent</summary>
            <pre className="payload">{JSON.stringify(d.payload, null, 2)}</pre>
          </details>
        )}
      </td>
      <td>
        <button type="button" className="button button-secondary button-small" disabled={again.isPending || d.status === "pending"} onClick={() => again.mutate()}>
          Redeliver<span className="visually-hidden"> {d.event} of {formatDateTime(d.createdAt)}</span>
        </button>
      </td>
    </tr>
  );
}
