import nodemailer, { type Transporter } from "nodemailer";

const transports = new Map<string, Transporter>();

/** One pooled nodemailer transport per SMTP URL, shared by every mail job in the process. */
export function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    // Short timeouts: a hung server fails the attempt, and pg-boss retries it with backoff.
    transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 });
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/** Headers that mark a mail as sent by a machine, so auto-responders stay quiet (RFC 3834). */
export const AUTOMATIC_HEADERS = { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" } as const;
