import { useCallback, useState } from "react";
import { ApiError } from "../../api/ApiError.ts";
import { useSubmitAttempt } from "../../lib/useSubmitAttempt.ts";

const isUnder = (key: string, path: string) => key === path || key.startsWith(`${path}.`);
const firstUnder = (errors: Record<string, string | undefined>, path: string) => {
  const key = Object.keys(errors).find((k) => errors[k] && isUnder(k, path));
  return key === undefined ? undefined : errors[key];
};

/**
 * Field errors for forms whose fields are nested and repeated (a calendar's `week.mon.1`, a
 * policy's `targets.resolution.seconds`), keyed by the server's own paths. `errorFor("week.mon")`
 * gives the first message at or under that path, from the client's rules (once the person tried
 * to send) or the server's answer (until that part is edited). `unclaimed(paths)` lists the
 * server's messages under none of the paths the form shows, so none is lost. After a failed
 * attempt, focus moves to the first control marked invalid.
 */
export function useFieldErrors(clientErrors: Record<string, string | undefined> = {}) {
  const { hasTried, formRef, tryToSend, refused } = useSubmitAttempt(clientErrors);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});

  const shownClient = hasTried ? clientErrors : {};
  const errorFor = (path: string): string | undefined => firstUnder(shownClient, path) ?? firstUnder(serverErrors, path);

  /** Call when the server refused; true when it named fields. */
  const take = useCallback(
    (error: unknown) => {
      const fields = error instanceof ApiError ? { ...error.fieldErrors } : {};
      setServerErrors(fields);
      if (Object.keys(fields).length) refused();
      return Object.keys(fields).length > 0;
    },
    [refused],
  );

  const clear = useCallback((path: string) => {
    setServerErrors((e) => {
      const kept = Object.fromEntries(Object.entries(e).filter(([k]) => !isUnder(k, path)));
      return Object.keys(kept).length === Object.keys(e).length ? e : kept;
    });
  }, []);

  /** The server's messages under none of `shownPaths`: for a summary above the form. */
  const unclaimed = (shownPaths: readonly string[]) => Object.entries(serverErrors).filter(([k]) => !shownPaths.some((p) => isUnder(k, p)));

  const count = Object.values(shownClient).filter(Boolean).length + Object.keys(serverErrors).length;
  return { errorFor, tryToSend, take, clear, unclaimed, formRef, count };
}
