import { useId, type ReactNode } from "react";

/**
 * One dashboard panel: a heading, an optional summary line, the chart (an image to assistive
 * technology, which reads the table instead) or a sentence when there is nothing to draw, and
 * the numbers behind it in a table under "Show numbers".
 */
export function ChartCard({
  title,
  summary,
  chart,
  chartClass = "",
  emptyText,
  table,
}: {
  title: string;
  summary?: ReactNode;
  chart: ReactNode | null;
  /** A size class from dashboard.css when the default height does not fit. */
  chartClass?: string;
  emptyText: string;
  table: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className="chart-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {summary}
      {chart ? (
        <div className={`chart ${chartClass}`.trim()} role="img" aria-label={`${title}: a chart; its numbers are in the table under it`}>
          {chart}
        </div>
      ) : (
        <p className="chart-empty muted">{emptyText}</p>
      )}
      <details className="chart-numbers">
        <summary>Show numbers</summary>
        {table}
      </details>
    </section>
  );
}
