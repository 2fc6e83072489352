import type { TicketPriority, TicketStatus } from "../api/types.ts";
import { customerStatusLabels, priorityLabels, statusLabels } from "../lib/labels.ts";

export function StatusBadge({ status, audience = "staff" }: { status: TicketStatus; audience?: "staff" | "customer" }) {
  const label = (audience === "customer" ? customerStatusLabels : statusLabels)[status];
  return <span className={`badge status-${status}`}>{label}</span>;
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  return <span className={`badge priority-${priority}`}>{priorityLabels[priority]}</span>;
}
