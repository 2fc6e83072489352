import type { FieldErrors } from "../../lib/ticketRules.ts";

/**
 * The failing rules only. useFormErrors lays the client's errors over the server's, so a key
 * present with `undefined` would hide the server's message for that field.
 */
export function clientErrors(rules: Record<string, string | undefined>): FieldErrors {
  return Object.fromEntries(Object.entries(rules).filter(([, message]) => Boolean(message)));
}
