import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { deleteWebhook, rotateWebhookSecret, sendWebhookTest, updateWebhook } from "../../api/admin/webhooks.ts";
import type { Webhook, WebhookWithSecret } from "../../api/admin/types.ts";
import { When } from "../components/When.tsx";

type Props = {
  webhook: Webhook;
  onDone: (text: string) => void;
  onError: (error: unknown) => void;
  onSecret: (w: WebhookWithSecret) => void;
};

/** One webhook with its actions: each says what it did, or why not. */
export function WebhookRow({ webhook: w, onDone, onError, onSecret }: Props) {
  const client = useQueryClient();
  const refresh = () => void client.invalidateQueries({ queryKey: adminKeys.webhooks });
  const toggle = useMutation({
    mutationFn: () => updateWebhook(w.id, { active: !w.active }),
    onSuccess: (u) => {
      refresh();
      onDone(u.active ? `${u.url} is enabled again.` : `${u.url} is disabled: nothing is sent to it until you enable it.`);
    },
    onError,
  });
  const rotate = useMutation({
    mutationFn: () => rotateWebhookSecret(w.id),
    onSuccess: (u) => {
      refresh();
      onSecret(u);
    },
    onError,
  });
  const test = useMutation({
    mutationFn: () => sendWebhookTest(w.id),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: adminKeys.deliveries(w.id) });
      onDone(`A test ping to ${w.url} is queued. Its result appears in the delivery log.`);
    },
    onError,
  });
  const remove = useMutation({
    mutationFn: () => deleteWebhook(w.id),
    onSuccess: () => {
      refresh();
      onDone(`${w.url} is deleted, with its delivery log.`);
    },
    onError,
  });
  const isBusy = toggle.isPending || rotate.isPending || test.isPending || remove.isPending;
  return (
    <tr data-webhook={w.url}>
      <td>
        <span className="mono">{w.url}</span>
        {w.description && <div className="muted small">{w.description}</div>}
      </td>
      <td>{w.events.join(", ")}</td>
      <td>
        {w.active ? (
          <span className="badge tone-ok">Enabled</span>
        ) : (
          <>
            <span className="badge tone-danger">Disabled</span>
            {w.disabledReason && <div className="small">{w.disabledReason}</div>}
          </>
        )}
        {w.consecutiveFailures > 0 && (
          <div className="small error-text">
            {w.consecutiveFailures} failed deliver{w.consecutiveFailures === 1 ? "y" : "ies"} in a row, since <When at={w.failingSince} />
          </div>
        )}
      </td>
      <td>
        <div className="row-actions">
          <Link to={`/admin/webhooks/${w.id}`}>Delivery log</Link>
          <button type="button" className="button button-secondary button-small" disabled={isBusy} onClick={() => test.mutate()}>
            Send test
          </button>
          <button type="button" className="button button-secondary button-small" disabled={isBusy} onClick={() => toggle.mutate()}>
            {w.active ? "Disable" : "Enable"}
          </button>
          <button type="button" className="button button-secondary button-small" disabled={isBusy} onClick={() => { if (window.confirm("Rotate the signing secret? The old one stops working at once.")) rotate.mutate(); }}>
            Rotate secret
          </button>
          <button type="button" className="button button-secondary button-small button-danger" disabled={isBusy} onClick={() => { if (window.confirm(`Delete the webhook to ${w.url} and its delivery log?`)) remove.mutate(); }}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}
