import { useState } from "react";

/** Copies text to the clipboard and says whether it worked (the clipboard needs a secure context). */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <span className="copy">
      <button type="button" className="button button-secondary button-small" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="copy-status">
        {state === "copied" ? "Copied." : state === "failed" ? "Could not copy: select the text and copy it yourself." : ""}
      </span>
    </span>
  );
}
