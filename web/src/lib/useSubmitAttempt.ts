import { useCallback, useEffect, useRef, useState } from "react";

/**
 * What every form's error handling shares: whether the person has tried to send (client rules are
 * shown only from then on), and moving focus to the first control marked invalid after each
 * failed attempt, the client's or the server's.
 */
export function useSubmitAttempt(clientErrors: Record<string, string | undefined>) {
  const [hasTried, setHasTried] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  /** Call on submit: true when the client's rules pass and the form may be sent. */
  const tryToSend = useCallback(() => {
    setHasTried(true);
    const isValid = !Object.values(clientErrors).some(Boolean);
    if (!isValid) setAttempt((n) => n + 1);
    return isValid;
  }, [clientErrors]);

  /** The server refused with field errors: focus the first, once they render. */
  const refused = useCallback(() => setAttempt((n) => n + 1), []);

  return { hasTried, formRef, tryToSend, refused };
}
