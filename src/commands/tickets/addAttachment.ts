import { fileTypeFromBuffer } from "file-type";
import { attachments } from "../../db/schema/index.js";
import type { Db } from "../../db/client.js";
import { findTicket } from "../../db/repositories/findTicket.js";
import { recordTicketEvents } from "./recordTicketEvents.js";
import type { AttachmentRow } from "../../db/repositories/thread.js";
import { classifyAttachment } from "../../domain/attachmentType.js";
import { AppError } from "../../errors.js";
import { isStaff, type Actor } from "../../policies/actor.js";
import type { AttachmentStore, StoredFile } from "../../storage/attachmentStore.js";

/**
 * Attaches a received upload to a ticket. The file is checked by its bytes, moved to its
 * content address, and only then recorded, so a row never points at a missing file.
 * A later reply can claim it by id; until then only the uploader's side of the desk sees it.
 */
export async function addAttachment(options: {
  db: Db;
  store: AttachmentStore;
  actor: Actor;
  ticketRef: string;
  file: StoredFile;
  filename: string;
  isInternal: boolean;
}): Promise<AttachmentRow> {
  const { actor, file, store } = options;
  try {
    if (options.isInternal && !isStaff(actor)) {
      throw new AppError("FORBIDDEN", "customers cannot upload internal files", { field: "internal" });
    }
    const ticket = await findTicket(options.db, actor, options.ticketRef);
    if (file.sizeBytes === 0) throw new AppError("UNPROCESSABLE", "the file is empty", { field: "file" });
    const head = await store.head(file.tempPath);
    const verdict = classifyAttachment(options.filename, (await fileTypeFromBuffer(head))?.mime, head);
    if (!verdict.ok) throw new AppError("UNSUPPORTED_MEDIA_TYPE", verdict.reason, { field: "file" });
    await store.commit(file);
    return await options.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(attachments)
        .values({
          ticketId: ticket.id,
          filename: options.filename,
          contentType: verdict.contentType,
          sizeBytes: file.sizeBytes,
          sha256: file.sha256,
          isInternal: options.isInternal,
          uploadedById: actor.id,
        })
        .returning();
      if (!row) throw new Error("attachment insert returned no row");
      await recordTicketEvents(tx, ticket.id, actor, "api", [
        { type: "attachment.added", to: { id: row.id, filename: row.filename, sizeBytes: row.sizeBytes, internal: row.isInternal } },
      ]);
      return row;
    });
  } finally {
    await store.discard(file);
  }
}
