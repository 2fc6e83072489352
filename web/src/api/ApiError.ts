/** An RFC 9457 problem from /api/v1, or a request that never got an answer (status 0). */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Messages keyed by request field ("subject", "file"), for showing beside the control. */
    readonly fieldErrors: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  get isUnauthenticated(): boolean {
    return this.status === 401;
  }
}

type ProblemBody = {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
  field?: unknown;
  errors?: unknown;
};

/** "body.subject" → "subject": the form only knows its own field names. */
const fieldName = (path: string) => path.replace(/^(body|querystring|params)\.?/, "") || "form";

/** Reads a problem document; field errors come from `errors[]` (schema) or `field` (rules). */
export function problemToError(status: number, body: unknown): ApiError {
  const p: ProblemBody = typeof body === "object" && body !== null ? (body as ProblemBody) : {};
  const detail = typeof p.detail === "string" ? p.detail : typeof p.title === "string" ? p.title : `request failed (${status})`;
  const fields: Record<string, string> = {};
  if (Array.isArray(p.errors)) {
    for (const e of p.errors as { field?: unknown; message?: unknown }[]) {
      if (typeof e.field !== "string") continue;
      const name = fieldName(e.field);
      fields[name] ??= typeof e.message === "string" ? e.message : "invalid";
    }
  } else if (typeof p.field === "string") {
    fields[fieldName(p.field)] = detail;
  }
  return new ApiError(status, typeof p.code === "string" ? p.code : "HTTP_ERROR", detail, fields);
}
