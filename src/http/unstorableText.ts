import type { FastifyRequest } from "fastify";
import { AppError } from "../errors.js";

const unstorable = /[\0\p{Cs}]/u;

/** Where parsed input holds a string PostgreSQL would refuse, as a dotted path; iterative, so deep nesting is safe. */
export function unstorableTextAt(input: unknown, root = ""): string | undefined {
  const stack: [unknown, string][] = [[input, root]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === "string") {
      if (unstorable.test(value)) return path || "(root)";
    } else if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value)) {
      // Bytes (a webhook's raw body) are not text yet: their receiver checks what it parses.
      for (const [key, child] of Object.entries(value)) {
        if (unstorable.test(key)) return path || "(root)";
        stack.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return undefined;
}

/**
 * PostgreSQL cannot store NUL in text, and jsonb refuses unpaired surrogates; without this hook
 * such a string passes every schema and fails in the query as a 500.
 */
export async function rejectUnstorableText(req: FastifyRequest): Promise<void> {
  const field = unstorableTextAt({ params: req.params, querystring: req.query, body: req.body });
  if (field) {
    const message = "text must not contain NUL characters or unpaired surrogates";
    throw new AppError("VALIDATION_FAILED", `${field}: ${message}`, { errors: [{ field, message }] });
  }
}
