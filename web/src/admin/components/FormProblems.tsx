import { ErrorSummary } from "../../components/ErrorSummary.tsx";
import { describeError } from "./Feedback.tsx";

/**
 * What stands above a settings form: the count of fields in error, why a save failed when no field
 * says so, and the server's messages for parts of the body the form has no field for.
 */
export function FormProblems({ count, saveError, what, unclaimed }: { count: number; saveError: unknown; what: string; unclaimed: [string, string | undefined][] }) {
  return (
    <>
      <ErrorSummary count={count} />
      {saveError != null && count === 0 && (
        <p className="alert alert-error" role="alert">
          {what} was not saved: {describeError(saveError)}
        </p>
      )}
      {unclaimed.length > 0 && (
        <ul className="alert alert-error">
          {unclaimed.map(([k, m]) => (
            <li key={k}>
              {k}: {m}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
