export const ticketSources = [
  "portal",
  "api",
  "email",
  "whatsapp",
  "qcontact",
  "jira",
  "slack",
  "helpscout",
  "internal",
] as const;
export type TicketSource = (typeof ticketSources)[number];

/** Each prefix has its own gap-free sequence (DESIGN.md §4). */
const prefixBySource: Record<TicketSource, string> = {
  portal: "SUP-",
  api: "SUP-",
  slack: "SUP-",
  helpscout: "SUP-",
  email: "EML-",
  whatsapp: "WA-",
  qcontact: "FT",
  jira: "JRA-",
  internal: "INT-",
};

export function numberPrefixFor(source: TicketSource): string {
  return prefixBySource[source];
}

/** SUP-00042; the number keeps growing past five digits rather than wrapping. */
export function formatTicketNumber(prefix: string, value: number): string {
  return `${prefix}${String(value).padStart(5, "0")}`;
}

const numberPattern = /^(SUP-|EML-|WA-|FT|JRA-|INT-)\d{5,}$/;

export function looksLikeTicketNumber(ref: string): boolean {
  return numberPattern.test(ref);
}
