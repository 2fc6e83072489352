import type { BulkChange, BulkResult } from "../api/tickets.ts";
import type { Ticket, User } from "../api/types.ts";
import { priorityLabels, statusLabels } from "../lib/labels.ts";

/** One ticket's outcome of a bulk action, by number, as the agent reads it. */
export type RowResult = { id: string; number: string; ok: boolean; detail: string };

/** The outcome of one bulk action: what was asked, and each ticket's answer. */
export type BulkOutcome = { action: string; rows: RowResult[] };

/** "assigned to Alex Agent, status In progress, tag +vip": what a successful row received. */
export function describeChange(change: BulkChange, staff: readonly User[]): string {
  const parts: string[] = [];
  if (change.assigneeId !== undefined) {
    parts.push(change.assigneeId === null ? "unassigned" : `assigned to ${staff.find((u) => u.id === change.assigneeId)?.name ?? "the chosen agent"}`);
  }
  if (change.status) parts.push(`status ${statusLabels[change.status]}`);
  if (change.priority) parts.push(`priority ${priorityLabels[change.priority]}`);
  for (const tag of change.addTags ?? []) parts.push(`tag +${tag}`);
  return parts.join(", ");
}

/** Matches the server's per-ticket answers (keyed by the id sent) to the tickets' numbers. */
export function toRowResults(results: readonly BulkResult[], tickets: readonly Ticket[], success: string): RowResult[] {
  const byId = new Map(tickets.map((t) => [t.id, t]));
  return results.map((r) => ({
    id: r.id,
    number: r.ticket?.number ?? byId.get(r.id)?.number ?? r.id,
    ok: r.ok,
    detail: r.ok ? success : (r.error?.detail ?? "refused"),
  }));
}
