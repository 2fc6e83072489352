import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { createWebhook, webhookEvents } from "../../api/admin/webhooks.ts";
import type { WebhookWithSecret } from "../../api/admin/types.ts";
import { ErrorSummary } from "../../components/ErrorSummary.tsx";
import { Field } from "../../components/Field.tsx";
import { useFormErrors } from "../../lib/useFormErrors.ts";
import { clientErrors } from "../lib/clientErrors.ts";
import { describeError } from "../components/Feedback.tsx";

const fields = ["url", "events", "description"] as const;

/** Registers a webhook; the server checks the URL (public addresses only) and answers 422 beside the field. */
export function WebhookForm({ onCreated, onCancel }: { onCreated: (w: WebhookWithSecret) => void; onCancel: () => void }) {
  const client = useQueryClient();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<string[]>(["ticket.created", "ticket.updated"]);
  const form = useFormErrors(clientErrors({
    url: /^https?:\/\/\S+$/i.test(url.trim()) ? undefined : "Enter the receiver's address, starting with https:// or http://.",
    events: events.length ? undefined : "Choose at least one event.",
  }));
  const create = useMutation({
    mutationFn: () => createWebhook({ url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) }),
    onSuccess: (w) => {
      void client.invalidateQueries({ queryKey: adminKeys.webhooks });
      onCreated(w);
    },
    onError: (error) => form.takeServerError(error, fields),
  });
  const toggle = (name: string, isOn: boolean) => {
    form.clearServerError("events");
    setEvents((all) => (isOn ? webhookEvents.map((e) => e.name).filter((n) => n === name || all.includes(n)) : all.filter((n) => n !== name)));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.tryToSend()) create.mutate();
  };
  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form" aria-labelledby="new-webhook-title">
      <h2 id="new-webhook-title">New webhook</h2>
      <ErrorSummary count={form.count} />
      {create.error && form.count === 0 && (
        <p className="alert alert-error" role="alert">
          The webhook was not created: {describeError(create.error)}
        </p>
      )}
      <Field label="Payload URL" hint="Switchboard POSTs signed JSON here. It must be a public address." error={form.errors.url}>
        <input type="url" value={url} placeholder="https://example.com/switchboard" onChange={(e) => { setUrl(e.target.value); form.clearServerError("url"); }} />
      </Field>
      <Field label="Description (optional)" error={form.errors.description}>
        <input type="text" maxLength={200} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <fieldset className="inline-checks events-picker" aria-invalid={form.errors.events ? true : undefined}>
        <legend>Events</legend>
        {webhookEvents.map((e) => (
          <label key={e.name}>
            <input type="checkbox" checked={events.includes(e.name)} onChange={(ev) => toggle(e.name, ev.target.checked)} /> {e.label} <code>{e.name}</code>
          </label>
        ))}
        {form.errors.events && <p className="field-error">{form.errors.events}</p>}
      </fieldset>
      <div className="actions">
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create webhook"}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
