import { threadSubject } from "./threading.js";

/**
 * Mail templates: small pure functions from already-chosen, customer-safe facts to a subject, a
 * plain-text body and an HTML body. Every value placed in HTML goes through `escapeHtml`; the
 * renderer (renderEmail.ts) decides which facts may reach whom, never a template.
 */
export type RenderedEmail = {
  subject: string;
  text: string;
  html: string;
  /** Sent by the system rather than typed by a person: gets `Auto-Submitted: auto-generated`. */
  isAutomatic: boolean;
};

export type TicketFacts = { number: string; subject: string; portalUrl: string };

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Plain text as HTML paragraphs: escaped, blank lines split paragraphs, single newlines become <br>. */
function paragraphs(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, "<br>")}</p>`)
    .join("\n");
}

const link = (url: string, label: string) => `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;

function page(title: string, parts: string[]): string {
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body style="font-family: sans-serif; line-height: 1.5">\n${parts.join("\n")}\n</body></html>\n`;
}

/** Fills in the HTML page around `parts`, titled with the subject. */
function email(subject: string, text: string, parts: string[], isAutomatic: boolean): RenderedEmail {
  return { subject, text, html: page(subject, parts), isAutomatic };
}

/** Tells the requester their request was filed, with its number and where to follow it. */
export function ticketReceivedEmail(ticket: TicketFacts): RenderedEmail {
  return email(
    threadSubject(ticket.number, `We received your request: ${ticket.subject}`),
    `We received your request "${ticket.subject}" and filed it as ${ticket.number}.\n\nFollow it here: ${ticket.portalUrl}\n\nReply to this email to add information.\n`,
    [
      `<p>We received your request “${escapeHtml(ticket.subject)}” and filed it as <strong>${escapeHtml(ticket.number)}</strong>.</p>`,
      `<p>Follow it here: ${link(ticket.portalUrl, ticket.portalUrl)}</p>`,
      `<p>Reply to this email to add information.</p>`,
    ],
    true,
  );
}

/** An agent's public reply, sent as if the agent wrote the mail (not automatic). */
export function agentReplyEmail(ticket: TicketFacts, reply: { authorName: string; body: string }): RenderedEmail {
  return email(
    threadSubject(ticket.number, `Re: ${ticket.subject}`),
    `${reply.body.trim()}\n\n— ${reply.authorName}\n\n${ticket.number}: ${ticket.portalUrl}\n`,
    [paragraphs(reply.body), `<p>— ${escapeHtml(reply.authorName)}</p>`, `<p>${escapeHtml(ticket.number)}: ${link(ticket.portalUrl, ticket.portalUrl)}</p>`],
    false,
  );
}

/** The ticket was resolved; says how to reopen it. */
export function ticketResolvedEmail(ticket: TicketFacts): RenderedEmail {
  return email(
    threadSubject(ticket.number, `Resolved: ${ticket.subject}`),
    `Your request ${ticket.number} "${ticket.subject}" has been resolved.\n\nNot solved after all? Reply to this email, or reopen it in the portal: ${ticket.portalUrl}\n`,
    [
      `<p>Your request <strong>${escapeHtml(ticket.number)}</strong> “${escapeHtml(ticket.subject)}” has been resolved.</p>`,
      `<p>Not solved after all? Reply to this email, or reopen it in the portal: ${link(ticket.portalUrl, ticket.portalUrl)}</p>`,
    ],
    true,
  );
}

/** To staff: a ticket was escalated (an SLA target is at risk or missed). */
export function slaEscalationEmail(ticket: TicketFacts & { priority: string; dueAt: Date | null }): RenderedEmail {
  const due = ticket.dueAt ? `It is due ${ticket.dueAt.toISOString()}.` : "It has no due date.";
  return email(
    threadSubject(ticket.number, `Escalated: ${ticket.subject}`),
    `${ticket.number} "${ticket.subject}" (priority ${ticket.priority}) was escalated. ${due}\n\nOpen it: ${ticket.portalUrl}\n`,
    [
      `<p><strong>${escapeHtml(ticket.number)}</strong> “${escapeHtml(ticket.subject)}” (priority ${escapeHtml(ticket.priority)}) was escalated. ${escapeHtml(due)}</p>`,
      `<p>Open it: ${link(ticket.portalUrl, ticket.portalUrl)}</p>`,
    ],
    true,
  );
}

export type AccountLink = { name: string; url: string; expiresAt: Date };

const validity = (expiresAt: Date) => `The link works once and expires at ${expiresAt.toISOString().replace("T", " ").slice(0, 16)} UTC.`;

/** An invitation to set a password for a new account. */
export function invitationEmail(account: AccountLink): RenderedEmail {
  return email(
    "You are invited to the support desk",
    `Hello ${account.name},\n\nAn account was created for you. Choose your password here:\n${account.url}\n\n${validity(account.expiresAt)}\n`,
    [`<p>Hello ${escapeHtml(account.name)},</p>`, `<p>An account was created for you. ${link(account.url, "Choose your password")}.</p>`, `<p>${escapeHtml(validity(account.expiresAt))}</p>`],
    true,
  );
}

/** A password reset someone asked for; says what to do if it was not them. */
export function passwordResetEmail(account: AccountLink): RenderedEmail {
  return email(
    "Reset your password",
    `Hello ${account.name},\n\nSomeone (we hope you) asked to reset your password. Choose a new one here:\n${account.url}\n\n${validity(account.expiresAt)} If you did not ask for this, ignore this mail: your password stays as it is.\n`,
    [
      `<p>Hello ${escapeHtml(account.name)},</p>`,
      `<p>Someone (we hope you) asked to reset your password. ${link(account.url, "Choose a new password")}.</p>`,
      `<p>${escapeHtml(validity(account.expiresAt))} If you did not ask for this, ignore this mail: your password stays as it is.</p>`,
    ],
    true,
  );
}

/** A one-time sign-in link (the portal's passwordless sign-in). */
export function magicLinkEmail(account: AccountLink): RenderedEmail {
  return email(
    "Your sign-in link",
    `Hello ${account.name},\n\nSign in to the support portal with this link:\n${account.url}\n\n${validity(account.expiresAt)} If you did not ask for it, ignore this mail.\n`,
    [
      `<p>Hello ${escapeHtml(account.name)},</p>`,
      `<p>${link(account.url, "Sign in to the support portal")}</p>`,
      `<p>${escapeHtml(validity(account.expiresAt))} If you did not ask for it, ignore this mail.</p>`,
    ],
    true,
  );
}
