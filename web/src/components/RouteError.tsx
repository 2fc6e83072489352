import { isRouteErrorResponse, Link, useRouteError } from "react-router";
import { ErrorMessage } from "./ErrorMessage.tsx";

/** What a page that failed to render shows instead of a blank screen. */
export function RouteError() {
  const error = useRouteError();
  const isMissing = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main className="narrow" id="main">
      <h1>{isMissing ? "Page not found" : "This page could not be shown"}</h1>
      {!isMissing && <ErrorMessage error={error} />}
      <p>
        <Link to="/">Back to the start</Link>
      </p>
    </main>
  );
}

export function NotFoundPage() {
  return (
    <main className="narrow" id="main">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Back to the start</Link>
      </p>
    </main>
  );
}
