import type { TicketPriority, TicketSource, TicketStatus } from "../api/types.ts";

export const statusLabels: Record<TicketStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  waiting_on_customer: "Waiting on customer",
  pending_approval: "Pending approval",
  blocked: "Blocked",
  resolved: "Resolved",
  closed: "Closed",
};

/** Customers read the same statuses from their side of the desk. */
export const customerStatusLabels: Record<TicketStatus, string> = {
  ...statusLabels,
  waiting_on_customer: "Waiting on you",
  pending_approval: "In progress",
  blocked: "In progress",
};

export const priorityLabels: Record<TicketPriority, string> = { low: "Low", medium: "Medium", high: "High", urgent: "Urgent" };

export const sourceLabels: Record<TicketSource, string> = {
  portal: "Portal",
  api: "API",
  email: "Email",
  whatsapp: "WhatsApp",
  qcontact: "QContact",
  jira: "Jira",
  slack: "Slack",
  helpscout: "Help Scout",
  internal: "Internal",
};

export const allStatuses = Object.keys(statusLabels) as TicketStatus[];
export const allPriorities = Object.keys(priorityLabels) as TicketPriority[];
export const allSources = Object.keys(sourceLabels) as TicketSource[];
/** Statuses where work is still owed; "closed" in the portal's filter means the rest. */
export const openStatuses: TicketStatus[] = ["open", "in_progress", "waiting_on_customer", "pending_approval", "blocked"];
export const doneStatuses: TicketStatus[] = ["resolved", "closed"];

export const metricLabels: Record<string, string> = {
  first_response: "First response",
  next_response: "Next response",
  resolution: "Resolution",
};
