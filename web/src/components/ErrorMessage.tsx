import { ApiError } from "../api/ApiError.ts";

function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 404) return "Not found: it may have been moved, merged, or you may not have access to it.";
    if (error.status === 429) return "Too many attempts. Wait a minute and try again.";
    return error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong.";
}

/** Any failure as a sentence on screen, never a blank page. */
export function ErrorMessage({ error, title = "Something went wrong" }: { error: unknown; title?: string }) {
  return (
    <div className="alert alert-error" role="alert">
      <strong>{title}.</strong> {describe(error)}
    </div>
  );
}
