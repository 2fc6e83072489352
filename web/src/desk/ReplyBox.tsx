import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type RefObject } from "react";
import { ApiError } from "../api/ApiError.ts";
import { queryKeys } from "../api/queryKeys.ts";
import { sendMessage } from "../api/sendMessage.ts";
import type { TicketDetail } from "../api/types.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { FilePicker } from "../components/FilePicker.tsx";
import { checkAttachments } from "../lib/attachmentRules.ts";

export type ReplyMode = "reply" | "note";

const modes: Record<ReplyMode, { tab: string; label: string; warning: string; send: string }> = {
  reply: {
    tab: "Public reply",
    label: "Reply to the customer",
    warning: "The customer will see this and receive it by email.",
    send: "Send reply to customer",
  },
  note: {
    tab: "Internal note",
    label: "Internal note",
    warning: "Only agents see this. It is never sent to the customer.",
    send: "Add internal note",
  },
};

/**
 * One box for both kinds of message, switched by a toggle (or r / n). The two modes differ in
 * colour, label, warning and button text, so a note is never sent to a customer by accident.
 */
export function ReplyBox({
  ticket,
  mode,
  onModeChange,
  textareaRef,
}: {
  ticket: TicketDetail;
  mode: ReplyMode;
  onModeChange: (mode: ReplyMode) => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
}) {
  const client = useQueryClient();
  const [body, setBody] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [bodyError, setBodyError] = useState<string>();
  const [sentNotice, setSentNotice] = useState("");
  const fileError = checkAttachments(files);
  const m = modes[mode];
  const send = useMutation({
    mutationFn: () => sendMessage(ticket.number, body.trim(), files, mode === "note"),
    onSuccess: () => {
      setBody("");
      setFiles([]);
      setSentNotice(mode === "note" ? "Internal note added." : "Reply sent to the customer.");
      void client.invalidateQueries({ queryKey: queryKeys.ticket(ticket.number) });
      void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
    },
  });
  const isClosed = ticket.status === "closed";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = body.trim() ? undefined : mode === "note" ? "Write the note first." : "Write the reply first.";
    setBodyError(problem);
    setSentNotice("");
    if (!problem && !fileError) send.mutate();
  };

  return (
    <form className={`reply-box mode-${mode}`} onSubmit={submit} noValidate aria-label="Reply or note" data-mode={mode}>
      <div className="segmented" role="group" aria-label="Message type">
        {(Object.keys(modes) as ReplyMode[]).map((k) => (
          <button key={k} type="button" aria-pressed={mode === k} className={`toggle-${k}`} onClick={() => onModeChange(k)}>
            {modes[k].tab} <kbd aria-hidden="true">{k === "reply" ? "r" : "n"}</kbd>
          </button>
        ))}
      </div>
      {isClosed && <p className="alert alert-info">This ticket is closed. Reopen it (status) before replying.</p>}
      <div className={`field${bodyError ? " field-invalid" : ""}`}>
        <label htmlFor="reply-body" className="reply-label">
          {m.label}
        </label>
        <p className="reply-warning" id="reply-warning">
          {m.warning}
        </p>
        <textarea
          id="reply-body"
          ref={textareaRef}
          rows={6}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          aria-describedby={`reply-warning${bodyError ? " reply-error" : ""}`}
          aria-invalid={bodyError ? true : undefined}
          disabled={isClosed}
        />
        {bodyError && (
          <p className="field-error" id="reply-error">
            {bodyError}
          </p>
        )}
      </div>
      <FilePicker files={files} onChange={setFiles} error={fileError} label={mode === "note" ? "Files (agents only)" : "Files for the customer"} />
      {send.error && (
        <ErrorMessage title={mode === "note" ? "The note was not added" : "The reply was not sent"} error={send.error instanceof ApiError && send.error.fieldErrors.body ? new Error(send.error.fieldErrors.body) : send.error} />
      )}
      <div className="reply-actions">
        <button type="submit" className={`button ${mode === "note" ? "button-note" : ""}`} disabled={send.isPending || isClosed}>
          {send.isPending ? "Sending…" : m.send}
        </button>
        <span role="status" className="muted">
          {sentNotice}
        </span>
      </div>
    </form>
  );
}
