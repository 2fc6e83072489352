import { useCallback, useState } from "react";
import { ApiError } from "../../api/ApiError.ts";

export type Notice = { kind: "success" | "error"; text: string } | null;

/** The message of a failed request, in words (never a blank). */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 404) return "It is no longer there: someone may have changed or removed it. Reload to see the latest.";
    if (error.status === 403) return "Only admins can do this.";
    return error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong.";
}

/** A page's last outcome: what a mutation did, or why it failed. */
export function useNotice() {
  const [notice, setNotice] = useState<Notice>(null);
  const success = useCallback((text: string) => setNotice({ kind: "success", text }), []);
  const failure = useCallback((error: unknown, prefix = "That did not work") => setNotice({ kind: "error", text: `${prefix}: ${describeError(error)}` }), []);
  const clear = useCallback(() => setNotice(null), []);
  return { notice, success, failure, clear };
}

/**
 * Shows the outcome. Success is a polite status; failure an alert. The regions stay in the page
 * so screen readers announce each new message.
 */
export function Feedback({ notice, onDismiss }: { notice: Notice; onDismiss?: () => void }) {
  return (
    <>
      <div role="status" aria-live="polite" className="feedback-region">
        {notice?.kind === "success" && <Message tone="success" text={notice.text} onDismiss={onDismiss} />}
      </div>
      <div role="alert" className="feedback-region">
        {notice?.kind === "error" && <Message tone="error" text={notice.text} onDismiss={onDismiss} />}
      </div>
    </>
  );
}

function Message({ tone, text, onDismiss }: { tone: "success" | "error"; text: string; onDismiss?: (() => void) | undefined }) {
  return (
    <div className={`alert alert-${tone} feedback`}>
      <span>{text}</span>
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
