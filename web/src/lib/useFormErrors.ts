import { useCallback, useState } from "react";
import { ApiError } from "../api/ApiError.ts";
import type { FieldErrors } from "./ticketRules.ts";
import { useSubmitAttempt } from "./useSubmitAttempt.ts";

/**
 * Per-field errors for a form, from two sources: the client's rules (shown once the person
 * has tried to send, then re-checked as they type, so a fixed field clears at once) and the
 * server's answer (kept until that field is edited). After a failed attempt, focus moves to
 * the first field in error.
 */
export function useFormErrors(clientErrors: FieldErrors) {
  const { hasTried, formRef, tryToSend, refused } = useSubmitAttempt(clientErrors);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});

  // A client rule that passes may be written as `field: undefined`; it must not hide the server's message.
  const passing = (errors: FieldErrors) => Object.fromEntries(Object.entries(errors).filter(([, message]) => Boolean(message)));
  const shown: FieldErrors = { ...passing(serverErrors), ...(hasTried ? passing(clientErrors) : {}) };

  /** Call when the server refused: its field messages go beside their fields. */
  const takeServerError = useCallback(
    (error: unknown, knownFields: readonly string[]) => {
      if (!(error instanceof ApiError)) return false;
      const fields = Object.fromEntries(Object.entries(error.fieldErrors).filter(([k]) => knownFields.includes(k)));
      setServerErrors(fields);
      if (Object.keys(fields).length) refused();
      return Object.keys(fields).length > 0;
    },
    [refused],
  );

  const clearServerError = useCallback((field: string) => {
    setServerErrors((e) => (e[field] ? { ...e, [field]: undefined } : e));
  }, []);

  return { errors: shown, formRef, tryToSend, takeServerError, clearServerError, count: Object.keys(shown).length };
}
