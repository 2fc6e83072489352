/** DESIGN.md §6, as numbers. Targets are stated for 1,000,000 tickets on this 2-core machine. */
export const TARGET_TICKETS = 1_000_000;

export const targets = {
  createRps: { min: 1000, text: "≥ 1,000 tickets/s through the API" },
  queueP95Ms: { max: 5, text: "queue page p95 ≤ 5 ms over 1M tickets" },
  searchP95Ms: { max: 50, text: "full-text search p95 ≤ 50 ms over 1M tickets, common words included" },
  rssMb: { max: 300, text: "server RSS ≤ 300 MB under load" },
} as const;

export type TargetCheck = {
  metric: string;
  target: string;
  /** null when nothing was measured (no response completed). */
  value: number | null;
  unit: string;
  met: boolean;
};
