import type { BulkOutcome } from "./bulkResults.ts";

/** Each ticket's answer to the last bulk action: ✓, or the server's reason it was refused. */
export function BulkResults({ outcome, onDismiss }: { outcome: BulkOutcome; onDismiss: () => void }) {
  const failed = outcome.rows.filter((r) => !r.ok).length;
  const done = outcome.rows.length - failed;
  return (
    <section className={`bulk-results${failed ? " has-failures" : ""}`} aria-labelledby="bulk-results-title">
      <div className="bulk-results-head">
        <h2 id="bulk-results-title">
          {outcome.action}: {done} done{failed ? `, ${failed} refused (still selected)` : ""}
        </h2>
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <ul aria-label="Result per ticket">
        {outcome.rows.map((r) => (
          <li key={r.id} className={r.ok ? "row-ok" : "row-failed"} data-number={r.number}>
            <span aria-hidden="true">{r.ok ? "✓" : "✗"}</span> <span className="mono">{r.number}</span>{" "}
            <span className="visually-hidden">{r.ok ? "done:" : "refused:"}</span> {r.detail}
          </li>
        ))}
      </ul>
    </section>
  );
}
