import { and, asc, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { outboundEmails } from "../../../db/schema/index.js";
import { defineJob, type RetryPolicy } from "../../../jobs/defineJob.js";
import { currentMailSettings, type MailSettings } from "./mailSettings.js";
import { EMAIL_KINDS, renderEmail } from "./renderEmail.js";
import { createMessageId, threadHeaders } from "./threading.js";
import { AUTOMATIC_HEADERS, transportFor } from "./smtpTransport.js";
import { recordSkippedMail } from "./recordSkippedMail.js";

export const ZSendEmail = z.object({
  ticketId: z.uuid(),
  kind: z.enum(EMAIL_KINDS),
  /** The public message a `reply` mail carries. */
  messageId: z.uuid().optional(),
});
export type SendEmail = z.infer<typeof ZSendEmail>;

export type SendEmailJobOptions = {
  retry?: Partial<RetryPolicy>;
  /** Defaults to the process's settings (configureMail); tests pass their own. */
  settings?: () => MailSettings;
};

/**
 * The `email.send` job. It renders the mail from the database when it runs, so a payload carries
 * ids only, never text. Two durable steps make it effectively once: the Message-ID is chosen once
 * per job, and the send is recorded (with that id, in outbound_emails) once the SMTP server
 * accepted it, so a retry after that sends nothing. A crash between the server's acceptance and
 * the record resends under the same Message-ID, which receivers treat as a duplicate.
 * A refusing or unreachable server throws: pg-boss retries with backoff, then dead-letters it,
 * where it shows in GET /api/v1/jobs. Without SMTP_URL the mail is recorded as skipped.
 */
export function createSendEmailJob(options: SendEmailJobOptions = {}) {
  const settingsOf = options.settings ?? currentMailSettings;
  return defineJob({
    name: "email.send",
    payload: ZSendEmail,
    retry: { retryLimit: 8, retryDelaySeconds: 30, retryDelayMaxSeconds: 3600, ...options.retry },
    expireInSeconds: 5 * 60,
    async handler(payload, ctx) {
      const settings = settingsOf();
      const messageId = await ctx.step("message-id", async () => createMessageId(settings.threadingKey, payload.ticketId));
      if (!settings.smtpUrl) {
        await recordSkippedMail(ctx.db, ctx.log, { ticketId: payload.ticketId, messageId, kind: payload.kind });
        return;
      }
      const smtpUrl = settings.smtpUrl;
      await ctx.step(
        "send",
        async ({ db }) => {
          const mail = await renderEmail(db, { ...payload, publicUrl: settings.publicUrl });
          if (!mail) {
            ctx.log.info({ ticketId: payload.ticketId, kind: payload.kind }, "no recipient for this mail; nothing sent");
            return { sent: false };
          }
          const thread = await db
            .select({ messageId: outboundEmails.messageId })
            .from(outboundEmails)
            .where(and(eq(outboundEmails.ticketId, payload.ticketId), eq(outboundEmails.status, "sent"), ne(outboundEmails.messageId, messageId)))
            .orderBy(asc(outboundEmails.createdAt), asc(outboundEmails.id));
          const { inReplyTo, references } = threadHeaders(thread.map((r) => r.messageId));
          await transportFor(smtpUrl).sendMail({
            from: settings.from,
            to: mail.to,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            messageId: `<${messageId}>`,
            ...(inReplyTo ? { inReplyTo, references: references! } : {}),
            headers: mail.isAutomatic ? AUTOMATIC_HEADERS : {},
          });
          await db.insert(outboundEmails).values({ ticketId: payload.ticketId, messageId, to: mail.to, kind: payload.kind, status: "sent" }).onConflictDoNothing();
          return { sent: true };
        },
        // A remote call: no transaction held open across the SMTP conversation.
        { isTransactional: false },
      );
    },
  });
}

/** The registered `email.send` job (jobRegistry.ts), with the process's mail settings. */
export const sendEmail = createSendEmailJob();
