import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { openSecret } from "../../../crypto/secretBox.js";
import { outboundEmails, users } from "../../../db/schema/index.js";
import { defineJob, PermanentJobError, type RetryPolicy } from "../../../jobs/defineJob.js";
import { currentMailSettings, type MailSettings } from "./mailSettings.js";
import { AUTOMATIC_HEADERS, transportFor } from "./smtpTransport.js";
import { invitationEmail, magicLinkEmail, passwordResetEmail, type AccountLink, type RenderedEmail } from "./templates.js";
import { recordSkippedMail } from "./recordSkippedMail.js";

export const ACCOUNT_EMAIL_KINDS = ["invite", "password_reset", "magic_link"] as const;
export type AccountEmailKind = (typeof ACCOUNT_EMAIL_KINDS)[number];

export const ZSendAccountEmail = z.object({
  userId: z.uuid(),
  kind: z.enum(ACCOUNT_EMAIL_KINDS),
  /** The one-time token, sealed (secretBox), because job payloads sit in the queue table in clear. */
  sealedToken: z.string().min(1),
  expiresAt: z.iso.datetime(),
});
export type SendAccountEmail = z.infer<typeof ZSendAccountEmail>;

/** Binds a sealed token to its person, so a payload edited to another userId does not open. */
export const accountTokenContext = (userId: string) => `account-mail:${userId}`;

/** Where each link lands in the web app. The token rides in the fragment, which browsers never send to servers or in Referer. */
const PATHS: Record<AccountEmailKind, string> = { invite: "/invite", password_reset: "/reset-password", magic_link: "/login/magic" };
const TEMPLATES: Record<AccountEmailKind, (link: AccountLink) => RenderedEmail> = {
  invite: invitationEmail,
  password_reset: passwordResetEmail,
  magic_link: magicLinkEmail,
};

export function accountLinkUrl(publicUrl: string, kind: AccountEmailKind, token: string): string {
  return `${publicUrl}${PATHS[kind]}#token=${encodeURIComponent(token)}`;
}

/**
 * The `email.account` job: invitation, password reset and magic-link mails. Like `email.send`,
 * the send is one durable step and is recorded once accepted, so a retry after that sends nothing.
 */
export function createSendAccountEmailJob(options: { retry?: Partial<RetryPolicy>; settings?: () => MailSettings } = {}) {
  const settingsOf = options.settings ?? currentMailSettings;
  return defineJob({
    name: "email.account",
    payload: ZSendAccountEmail,
    // A sign-in link is useless after it expires (15 min to 7 days), so give up sooner than ticket mail.
    retry: { retryLimit: 5, retryDelaySeconds: 10, retryDelayMaxSeconds: 300, ...options.retry },
    expireInSeconds: 5 * 60,
    async handler(payload, ctx) {
      const settings = settingsOf();
      const messageId = await ctx.step("message-id", async () => `a.${randomBytes(16).toString("base64url")}@switchboard`);
      const [user] = await ctx.db.select().from(users).where(eq(users.id, payload.userId));
      if (!user?.isActive) return; // removed or deactivated since: the link would not work anyway
      if (new Date(payload.expiresAt) <= new Date()) return;
      if (!settings.smtpUrl) {
        await recordSkippedMail(ctx.db, ctx.log, { userId: user.id, messageId, kind: payload.kind });
        return;
      }
      let token: string;
      try {
        token = openSecret(settings.secretKey, payload.sealedToken, accountTokenContext(payload.userId));
      } catch {
        throw new PermanentJobError("the sealed token does not open with this install's key (SWITCHBOARD_SECRET_KEY changed?)");
      }
      const mail = TEMPLATES[payload.kind]({ name: user.name, url: accountLinkUrl(settings.publicUrl, payload.kind, token), expiresAt: new Date(payload.expiresAt) });
      const smtpUrl = settings.smtpUrl;
      await ctx.step(
        "send",
        async ({ db }) => {
          await transportFor(smtpUrl).sendMail({
            from: settings.from,
            to: user.email,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            messageId: `<${messageId}>`,
            headers: AUTOMATIC_HEADERS,
          });
          await db.insert(outboundEmails).values({ userId: user.id, messageId, to: user.email, kind: payload.kind, status: "sent" }).onConflictDoNothing();
          return { sent: true };
        },
        { isTransactional: false },
      );
    },
  });
}

export const sendAccountEmail = createSendAccountEmailJob();
