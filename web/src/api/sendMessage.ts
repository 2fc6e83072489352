import { postMessage, uploadAttachment } from "./tickets.ts";
import type { Message } from "./types.ts";

/**
 * A reply or note with files: each file is uploaded first (as internal when the message is a
 * note, so a note's file is never public even for a moment), then the message claims them.
 */
export async function sendMessage(ticketNumber: string, body: string, files: readonly File[], internal: boolean): Promise<Message> {
  const attachmentIds: string[] = [];
  for (const file of files) attachmentIds.push((await uploadAttachment(ticketNumber, file, internal)).id);
  return postMessage(ticketNumber, { body, internal, attachmentIds: attachmentIds.length ? attachmentIds : undefined });
}
