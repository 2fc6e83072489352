import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError, errorStatus, type ErrorCode } from "../errors.js";

const titles: Partial<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Sends an RFC 9457 problem document. `code` is the stable, machine-readable part. */
export function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  detail: string,
  extra: Record<string, unknown> = {},
  status: number = errorStatus[code],
) {
  return reply
    .code(status)
    .type("application/problem+json")
    .send({
      type: `https://switchboard.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
      title: titles[status] ?? "Error",
      status,
      detail,
      code,
      instance: req.url.split("?")[0],
      ...extra,
    });
}

/** Fastify's own error codes for bad requests, mapped to ours. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "MALFORMED_JSON",
  FST_ERR_CTP_EMPTY_JSON_BODY: "MALFORMED_JSON",
  FST_ERR_CTP_BODY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "BAD_REQUEST",
  FST_ERR_VALIDATION: "VALIDATION_FAILED",
  FST_INVALID_MULTIPART_CONTENT_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_REQ_FILE_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  FST_PARTS_LIMIT: "PAYLOAD_TOO_LARGE",
  FST_FILES_LIMIT: "PAYLOAD_TOO_LARGE",
  FST_FIELDS_LIMIT: "PAYLOAD_TOO_LARGE",
  FST_PROTO_VIOLATION: "BAD_REQUEST",
};

export function errorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) return sendProblem(req, reply, error.code, error.message, error.extra);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((v) => ({
      field: [error.validationContext, ...String(v.instancePath).split("/").filter(Boolean)].join("."),
      message: v.message ?? "invalid",
    }));
    const detail = errors.map((e) => `${e.field}: ${e.message}`).join("; ");
    if (req.routeOptions.config.isInvalidBodyUnprocessable && error.validationContext === "body") {
      return sendProblem(req, reply, "UNPROCESSABLE", detail, { errors, field: errors[0]?.field });
    }
    return sendProblem(req, reply, "VALIDATION_FAILED", detail, { errors });
  }
  if (isResponseSerializationError(error)) {
    req.log.error({ err: error, issues: error.cause.issues }, "response did not match its schema");
    return sendProblem(req, reply, "INTERNAL", "internal error");
  }
  const pgCode = (error as { cause?: { code?: unknown } }).cause?.code ?? error.code;
  // Text the database cannot store that slipped past the request hook (a header, a multipart field).
  if (pgCode === "22021" || pgCode === "22P05") return sendProblem(req, reply, "VALIDATION_FAILED", "text contains characters that cannot be stored");
  const mapped = error.code ? fastifyCodes[error.code] : undefined;
  if (mapped) return sendProblem(req, reply, mapped, error.message);
  if (error.statusCode === 429) return sendProblem(req, reply, "RATE_LIMITED", error.message);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendProblem(req, reply, "BAD_REQUEST", error.message, {}, error.statusCode);
  }
  req.log.error({ err: error }, "unhandled error");
  return sendProblem(req, reply, "INTERNAL", "internal error");
}
