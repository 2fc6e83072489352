import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { addAttachment } from "../../../../commands/tickets/addAttachment.js";
import { findTicket } from "../../../../db/repositories/findTicket.js";
import { findAttachment } from "../../../../db/repositories/thread.js";
import { AppError, notFound } from "../../../../errors.js";
import { actorOf } from "../../../../http/auth.js";
import { presentAttachment } from "../../../../presenters/presentMessage.js";
import { ZAttachment, ZProblem } from "../../../../presenters/schemas.js";
import type { StoredFile } from "../../../../storage/attachmentStore.js";
import type { RouteOptions } from "../index.js";

const ZAttachmentParams = z.object({ id: z.string().min(1).max(64), aid: z.uuid() });

/** RFC 6266: an ASCII fallback plus the exact UTF-8 name. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

const cleanFilename = (name: string) => name.replace(/[\\/\x00-\x1f\x7f]/g, "_").slice(-200) || "file";

export async function ticketAttachmentRoutes(fastify: FastifyInstance, { deps }: RouteOptions) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = deps.database;
  const store = deps.attachments;

  app.post(
    "/tickets/:id/attachments",
    {
      schema: {
        tags: ["attachments"],
        summary: "Upload a file (multipart field `file`; optional field `internal=true` for staff)",
        consumes: ["multipart/form-data"],
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 201: ZAttachment, 400: ZProblem, 401: ZProblem, 403: ZProblem, 404: ZProblem, 413: ZProblem, 415: ZProblem, 422: ZProblem },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      if (!req.isMultipart()) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send multipart/form-data with a `file` field");
      let isInternal = false;
      let upload: { file: StoredFile; filename: string } | undefined;
      try {
        // Read every part before acting: `internal=true` may come after the file, and
        // storing the file first would publish a staff-only upload.
        for await (const part of req.parts()) {
          if (part.type === "field") {
            if (part.fieldname === "internal") isInternal = part.value === "true";
            continue;
          }
          if (part.fieldname !== "file" || upload) {
            part.file.resume();
            continue;
          }
          upload = { file: await store.receive(part.file), filename: cleanFilename(part.filename) };
          if (part.file.truncated) {
            throw new AppError("PAYLOAD_TOO_LARGE", `files are limited to ${deps.config.ATTACHMENT_MAX_BYTES} bytes`, { field: "file" });
          }
        }
      } catch (error) {
        if (upload) await store.discard(upload.file);
        throw error;
      }
      if (!upload) throw new AppError("VALIDATION_FAILED", "a `file` field is required", { field: "file" });
      const row = await addAttachment({ db, store, actor, ticketRef: req.params.id, ...upload, isInternal });
      return reply.code(201).send(presentAttachment(row));
    },
  );

  app.get(
    "/tickets/:id/attachments/:aid",
    { schema: { tags: ["attachments"], summary: "Download a file", params: ZAttachmentParams } },
    async (req, reply) => {
      const actor = actorOf(req);
      const ticket = await findTicket(db, actor, req.params.id);
      const row = await findAttachment(db, actor, ticket.id, req.params.aid);
      if (!row) throw notFound("attachment");
      return reply
        .header("content-type", row.contentType)
        .header("content-length", row.sizeBytes)
        .header("content-disposition", contentDisposition(row.filename))
        .header("cache-control", "private, max-age=0")
        .send(store.open(row.sha256));
    },
  );
}
