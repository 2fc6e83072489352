import type { TicketPriority } from "../api/types.ts";

/**
 * The new-ticket form's rules, checked before sending so people hear about a mistake at once.
 * They mirror the server's (src/routes/api/v1/schemas.ts), which checks again and has the
 * last word: lengths count the trimmed text there, so they do here.
 */
export const subjectLength = { min: 5, max: 200 } as const;
export const descriptionLength = { min: 20, max: 10_000 } as const;

/** Customers choose from these; urgent is for agents to set (the server refuses it too). */
export const customerPriorities: readonly TicketPriority[] = ["low", "medium", "high"];

/** The server takes any slug; these are the ones the portal offers (the demo data uses them). */
export const categories = [
  { value: "general", label: "General question" },
  { value: "account", label: "Account and sign-in" },
  { value: "billing", label: "Billing and invoices" },
  { value: "technical", label: "Technical problem" },
] as const;

export type TicketDraft = { subject: string; description: string; category: string; priority: string };
export type FieldErrors = Partial<Record<string, string>>;

function lengthError(label: string, value: string, range: { min: number; max: number }): string | undefined {
  const n = value.trim().length;
  if (n === 0) return `${label} is required.`;
  if (n < range.min) return `${label} needs at least ${range.min} characters (now ${n}).`;
  if (n > range.max) return `${label} can have at most ${range.max.toLocaleString("en")} characters (now ${n.toLocaleString("en")}).`;
  return undefined;
}

export function validateTicketDraft(d: TicketDraft): FieldErrors {
  const errors: FieldErrors = {};
  const subject = lengthError("Subject", d.subject, subjectLength);
  if (subject) errors.subject = subject;
  const description = lengthError("Description", d.description, descriptionLength);
  if (description) errors.description = description;
  if (!categories.some((c) => c.value === d.category)) errors.category = "Choose a category.";
  if (!customerPriorities.includes(d.priority as TicketPriority)) errors.priority = "Choose low, medium or high.";
  return errors;
}

export const hasErrors = (errors: FieldErrors) => Object.values(errors).some(Boolean);
