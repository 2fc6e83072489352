import type { Executor } from "../../../db/client.js";
import { outboundEmails } from "../../../db/schema/index.js";
import type { Logger } from "../../../logger.js";

let hasWarnedNoSmtp = false;

/**
 * Without SMTP_URL a mail is recorded as `skipped` (once per Message-ID, so a retry adds no row)
 * instead of sent, and the process says so once in its log rather than on every mail.
 */
export async function recordSkippedMail(
  db: Executor,
  log: Logger,
  mail: { messageId: string; kind: string; ticketId?: string; userId?: string },
): Promise<void> {
  if (!hasWarnedNoSmtp) {
    hasWarnedNoSmtp = true;
    log.warn("SMTP_URL is not set: outgoing mail is recorded as skipped in outbound_emails, not sent");
  }
  await db.insert(outboundEmails).values({ ...mail, to: "", status: "skipped" }).onConflictDoNothing();
}
