import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { queryKeys } from "../api/queryKeys.ts";
import type { TicketPriority } from "../api/types.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { ErrorSummary } from "../components/ErrorSummary.tsx";
import { Field } from "../components/Field.tsx";
import { FilePicker } from "../components/FilePicker.tsx";
import { checkAttachments } from "../lib/attachmentRules.ts";
import { priorityLabels } from "../lib/labels.ts";
import { categories, customerPriorities, descriptionLength, subjectLength, validateTicketDraft, type TicketDraft } from "../lib/ticketRules.ts";
import { useFormErrors } from "../lib/useFormErrors.ts";
import { fileTicket } from "./fileTicket.ts";

const fields = ["subject", "description", "category", "priority", "attachments"] as const;

export type FiledState = { isNew: true; attachProblem?: string };

/** A signed-in customer's request: checked here as they go, and again by the server. */
export function NewTicketPage() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const [draft, setDraft] = useState<TicketDraft>({ subject: "", description: "", category: "", priority: "medium" });
  const [files, setFiles] = useState<File[]>([]);
  const attachmentError = checkAttachments(files);
  const form = useFormErrors({ ...validateTicketDraft(draft), attachments: attachmentError });

  const send = useMutation({
    mutationFn: () =>
      fileTicket(
        { subject: draft.subject.trim(), description: draft.description.trim(), category: draft.category, priority: draft.priority as TicketPriority },
        files,
      ),
    onSuccess: ({ ticket, attachProblem }) => {
      void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
      const state: FiledState = { isNew: true };
      if (attachProblem) state.attachProblem = attachProblem instanceof Error ? attachProblem.message : "the upload failed";
      void navigate(`/tickets/${ticket.number}`, { state });
    },
    onError: (error) => form.takeServerError(error, fields),
  });

  const set = (field: keyof TicketDraft) => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    form.clearServerError(field);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.tryToSend()) send.mutate();
  };

  const descriptionCount = draft.description.trim().length;
  const isFieldError = send.error && form.count > 0;
  return (
    <main id="main" className="narrow">
      <h1>New request</h1>
      <form ref={form.formRef} onSubmit={submit} noValidate className="form" aria-describedby="new-ticket-intro">
        <p id="new-ticket-intro" className="muted">
          All fields are required except attachments.
        </p>
        <ErrorSummary count={form.count} />
        {send.error && !isFieldError && <ErrorMessage title="Your request was not sent" error={send.error} />}
        <Field label="Subject" hint={`A short summary, ${subjectLength.min}–${subjectLength.max} characters.`} error={form.errors.subject}>
          <input type="text" value={draft.subject} onChange={(e) => set("subject")(e.target.value)} maxLength={subjectLength.max + 50} autoComplete="off" />
        </Field>
        <Field
          label="Description"
          hint={`What happened, what you expected, and any error message. ${descriptionCount.toLocaleString("en")} / ${descriptionLength.max.toLocaleString("en")} characters (at least ${descriptionLength.min}).`}
          error={form.errors.description}
        >
          <textarea rows={8} value={draft.description} onChange={(e) => set("description")(e.target.value)} />
        </Field>
        <div className="field-row">
          <Field label="Category" error={form.errors.category}>
            <select value={draft.category} onChange={(e) => set("category")(e.target.value)}>
              <option value="">Choose…</option>
              {categories.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Priority" error={form.errors.priority}>
            <select value={draft.priority} onChange={(e) => set("priority")(e.target.value)}>
              {customerPriorities.map((p) => (
                <option key={p} value={p}>
                  {priorityLabels[p]}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <FilePicker
          files={files}
          onChange={(next) => {
            setFiles(next);
            form.clearServerError("attachments");
          }}
          error={form.errors.attachments ?? attachmentError}
        />
        <button type="submit" className="button" disabled={send.isPending}>
          {send.isPending ? "Sending…" : "Send request"}
        </button>
      </form>
    </main>
  );
}
