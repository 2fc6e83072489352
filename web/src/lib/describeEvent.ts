import type { TicketEvent, TicketStatus } from "../api/types.ts";
import { metricLabels, priorityLabels, statusLabels } from "./labels.ts";

/** Names for the ids events carry (assignee, team); unknown ids read as "someone". */
export type Names = { person: (id: string) => string | undefined; team: (id: string) => string | undefined };

const asText = (v: unknown) => (typeof v === "string" ? v : v === null || v === undefined ? "" : JSON.stringify(v));
const status = (v: unknown) => statusLabels[v as TicketStatus] ?? asText(v);
const field = (v: unknown, key: string) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined);

/** One line of history, as a support lead would say it. */
export function describeEvent(e: TicketEvent, names?: Names): string {
  switch (e.type) {
    case "ticket.created":
      return `Created${typeof field(e.to, "number") === "string" ? ` as ${asText(field(e.to, "number"))}` : ""}`;
    case "ticket.status_changed":
      return `Status: ${status(e.from)} → ${status(e.to)}`;
    case "ticket.reopened":
      return `Reopened (${status(e.from)} → ${status(e.to)})`;
    case "reply.added":
      return "Public reply";
    case "note.added":
      return "Internal note";
    case "ticket.first_response":
      return "First response sent";
    case "ticket.priority_changed":
      return `Priority: ${priorityLabels[e.from as keyof typeof priorityLabels] ?? asText(e.from)} → ${priorityLabels[e.to as keyof typeof priorityLabels] ?? asText(e.to)}`;
    case "ticket.category_changed":
      return `Category: ${asText(e.from)} → ${asText(e.to)}`;
    case "ticket.subject_changed":
      return "Subject changed";
    case "ticket.assigned": {
      const to = typeof e.to === "string" ? (names?.person(e.to) ?? "someone") : null;
      return to ? `Assigned to ${to}` : "Unassigned";
    }
    case "ticket.team_changed": {
      const to = typeof e.to === "string" ? (names?.team(e.to) ?? "a team") : null;
      return to ? `Team: ${to}` : "Team removed";
    }
    case "ticket.tags_changed":
      return `Tags: ${Array.isArray(e.to) && e.to.length ? (e.to as string[]).join(", ") : "none"}`;
    case "ticket.escalation_changed":
      return e.to === true ? "Escalated" : "Escalation cleared";
    case "ticket.custom_fields_changed":
      return "Custom fields changed";
    case "attachment.added":
      return `File added: ${asText(field(e.to, "filename"))}`;
    case "ticket.merged_into":
      return "Merged into another ticket";
    case "ticket.merged_from":
      return "Another ticket was merged into this one";
    case "sla.policy_applied":
      return `SLA policy applied${typeof field(e.to, "name") === "string" ? `: ${asText(field(e.to, "name"))}` : ""}`;
    case "sla.warning":
      return `SLA warning: ${metricLabels[asText(field(e.to, "metric"))] ?? asText(field(e.to, "metric"))} at ${asText(field(e.to, "threshold"))}%`;
    case "sla.breached":
      return `SLA breached: ${metricLabels[asText(field(e.to, "metric"))] ?? asText(field(e.to, "metric"))}`;
    default:
      return e.type.replace(/[._]/g, " ");
  }
}

/** The events a customer's status history lists (the server already hides staff-only ones). */
export const isStatusEvent = (e: TicketEvent) =>
  e.type === "ticket.created" || e.type === "ticket.status_changed" || e.type === "ticket.reopened" || e.type === "ticket.merged_into";
