/** Keys whose values never leave the server in a job view, at any depth. */
const SECRET_KEY = /secret|token|passw(or)?d|api[-_]?key|authorization|credential|cookie|private[-_]?key/i;

/** A copy of `value` with every secret-looking key's value replaced by "[redacted]". */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, SECRET_KEY.test(key) ? "[redacted]" : redactSecrets(v)]));
}
