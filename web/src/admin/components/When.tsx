import { formatDateTime, timeAgo } from "../../lib/time.ts";

/** A moment as "3 minutes ago", with the exact time for hover and screen readers' <time>. */
export function When({ at, fallback = "never" }: { at: string | null | undefined; fallback?: string }) {
  if (!at) return <span className="muted">{fallback}</span>;
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      {timeAgo(at)}
    </time>
  );
}
