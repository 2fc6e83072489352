import type { Tx } from "../../../db/client.js";
import { enqueue } from "../../../jobs/enqueue.js";
import { hasCurrentQueue } from "../../../jobs/queue.js";
import { sendEmail, type SendEmail } from "./sendEmail.js";
import { accountTokenContext, sendAccountEmail, type AccountEmailKind } from "./sendAccountEmail.js";
import { sealSecret } from "../../../crypto/secretBox.js";

/**
 * Enqueues an `email.send` job in the command's transaction (the outbox rule), so the mail exists
 * if and only if the change commits. A no-op when this process started no queue: commands also
 * run from tests and CLI paths that have none, and a mail there has no one to send it. `serve`
 * starts the queue (with jobRegistry) before it accepts requests, so no request loses a mail.
 */
export async function enqueueEmail(tx: Tx, payload: SendEmail): Promise<string | null> {
  if (!hasCurrentQueue()) return null;
  return enqueue(tx, sendEmail, payload);
}

/**
 * Enqueues an account mail (invitation, password reset, magic link) carrying a one-time token,
 * sealed with the install's secret key so the queue table never holds a usable token.
 */
export async function enqueueAccountEmail(
  tx: Tx,
  mail: { userId: string; kind: AccountEmailKind; token: string; expiresAt: Date; secretKey: Buffer },
): Promise<string | null> {
  if (!hasCurrentQueue()) return null;
  return enqueue(tx, sendAccountEmail, {
    userId: mail.userId,
    kind: mail.kind,
    sealedToken: sealSecret(mail.secretKey, mail.token, accountTokenContext(mail.userId)),
    expiresAt: mail.expiresAt.toISOString(),
  });
}
