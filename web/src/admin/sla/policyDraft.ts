import type { TicketPriority, TicketStatus } from "../../api/types.ts";
import type { PolicyDefinition, PolicyInput, SlaTarget } from "../../api/admin/types.ts";
import { joinSeconds, splitSeconds } from "./duration.ts";

export const slaMetrics = ["first_response", "next_response", "resolution"] as const;
export type Metric = (typeof slaMetrics)[number];

/** The server's defaults when a target names no pause statuses (src/domain/sla/policy.ts). */
export const defaultPauseStatuses: Record<Metric, TicketStatus[]> = {
  first_response: [],
  next_response: ["waiting_on_customer", "blocked"],
  resolution: ["waiting_on_customer", "blocked"],
};

export type TargetDraft = {
  isOn: boolean;
  hours: string;
  minutes: string;
  timeMode: "business" | "calendar";
  warnAt: string;
  /** undefined: the server's default for the metric, left as it was. */
  pauseStatuses: TicketStatus[] | undefined;
  setPriority: TicketPriority | "";
  assignTeamId: string;
  addTags: string;
};

export type PolicyDraft = {
  name: string;
  position: string;
  isActive: boolean;
  calendarId: string;
  priorities: TicketPriority[];
  categories: string;
  notifyInBusinessHoursOnly: boolean;
  targets: Record<Metric, TargetDraft>;
};

const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

function targetDraft(t: SlaTarget | undefined): TargetDraft {
  return {
    isOn: Boolean(t),
    ...splitSeconds(t?.seconds ?? 8 * 3600),
    timeMode: t?.timeMode ?? "business",
    warnAt: (t?.warnAt ?? [75, 90]).join(", "),
    pauseStatuses: t?.pauseStatuses,
    setPriority: t?.breachActions.setPriority ?? "",
    assignTeamId: t?.breachActions.assignTeamId ?? "",
    addTags: (t?.breachActions.addTags ?? []).join(", "),
  };
}

export function policyDraftFrom(def: PolicyDefinition | null): PolicyDraft {
  return {
    name: def?.name ?? "",
    position: String(def?.position ?? 100),
    isActive: def?.isActive ?? true,
    calendarId: def?.calendarId ?? "",
    priorities: def?.conditions.priority ?? [],
    categories: (def?.conditions.category ?? []).join(", "),
    notifyInBusinessHoursOnly: def?.notifyInBusinessHoursOnly ?? false,
    targets: {
      first_response: targetDraft(def?.targets.first_response),
      next_response: targetDraft(def?.targets.next_response),
      resolution: targetDraft(def?.targets.resolution),
    },
  };
}

/** Thresholds as typed ("75, 90"): numbers, or null when one is not a whole number. */
export function parseWarnAt(text: string): number[] | null {
  const parts = list(text.replaceAll("%", ""));
  const numbers = parts.map(Number);
  return numbers.every((n) => Number.isInteger(n)) ? numbers : null;
}

/** The client's checks, keyed by the server's field paths so both kinds of message land in one place. */
export function validatePolicyDraft(d: PolicyDraft): Record<string, string | undefined> {
  const errors: Record<string, string | undefined> = {};
  if (!d.name.trim()) errors.name = "Give the policy a name.";
  const position = Number(d.position);
  if (!Number.isInteger(position) || position < 0 || position > 10_000) errors.position = "A whole number from 0 to 10000.";
  if (!slaMetrics.some((m) => d.targets[m].isOn)) errors.targets = "Give at least one metric a target.";
  for (const m of slaMetrics) {
    const t = d.targets[m];
    if (!t.isOn) continue;
    const seconds = joinSeconds(t.hours, t.minutes);
    if (seconds === null) errors[`targets.${m}.seconds`] = "Hours and minutes are whole numbers (minutes 0–59).";
    else if (seconds === 0) errors[`targets.${m}.seconds`] = "The target must be longer than zero.";
    const warnAt = parseWarnAt(t.warnAt);
    if (!warnAt || warnAt.some((n) => n < 1 || n > 99)) errors[`targets.${m}.warnAt`] = "Thresholds are whole percentages from 1 to 99, separated by commas.";
    else if (warnAt.length > 5) errors[`targets.${m}.warnAt`] = "At most five thresholds.";
  }
  return errors;
}

/**
 * The definition to send. Conditions and breach actions this form does not show are kept from
 * `base`, so saving never drops what someone set through the API.
 */
export function policyDefinitionFrom(d: PolicyDraft, base: PolicyDefinition | null): PolicyInput {
  const targets: PolicyInput["targets"] = {};
  for (const m of slaMetrics) {
    const t = d.targets[m];
    if (!t.isOn) continue;
    const baseActions = base?.targets[m]?.breachActions ?? {};
    const tags = list(t.addTags);
    targets[m] = {
      seconds: joinSeconds(t.hours, t.minutes) ?? 0,
      timeMode: t.timeMode,
      warnAt: parseWarnAt(t.warnAt) ?? [],
      ...(t.pauseStatuses ? { pauseStatuses: t.pauseStatuses } : {}),
      breachActions: {
        ...baseActions,
        setPriority: t.setPriority || undefined,
        assignTeamId: t.assignTeamId || undefined,
        addTags: tags.length ? tags : undefined,
      },
    };
  }
  const categories = list(d.categories);
  return {
    name: d.name.trim(),
    position: Number(d.position),
    isActive: d.isActive,
    calendarId: d.calendarId || null,
    conditions: {
      ...(base?.conditions ?? {}),
      priority: d.priorities.length ? d.priorities : undefined,
      category: categories.length ? categories : undefined,
    },
    targets,
    notifyInBusinessHoursOnly: d.notifyInBusinessHoursOnly,
  };
}
