import { useId } from "react";
import { acceptAttribute, formatBytes, maxFiles } from "../lib/attachmentRules.ts";

/**
 * A file input that keeps a list: each choice adds to it, and each file can be removed. The
 * rules are checked by the form (checkAttachments), so the error sits with the other fields.
 */
export function FilePicker({
  files,
  onChange,
  error,
  label = "Attachments",
}: {
  files: File[];
  onChange: (files: File[]) => void;
  error?: string | undefined;
  label?: string;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        multiple
        accept={acceptAttribute}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, error ? errorId : ""].filter(Boolean).join(" ")}
        onChange={(e) => {
          const chosen = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = "";
          onChange([...files, ...chosen]);
        }}
      />
      <p className="field-hint" id={hintId}>
        Up to {maxFiles} files, 10 MB each: images, PDF, .log or .txt.
      </p>
      {files.length > 0 && (
        <ul className="file-list" aria-label="Chosen files">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <span>
                {f.name} <span className="muted">({formatBytes(f.size)})</span>
              </span>
              <button type="button" className="link-button" onClick={() => onChange(files.filter((_, j) => j !== i))} aria-label={`Remove ${f.name}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
