/** Announces how many fields need attention; each one's message sits beside it. */
export function ErrorSummary({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <div className="alert alert-error" role="alert">
      {count === 1 ? "One field needs your attention." : `${count} fields need your attention.`} The messages are next to them.
    </div>
  );
}
