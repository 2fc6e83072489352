import type { SlaClock } from "../api/types.ts";

/** The queue badge's colours: green, amber from 75% of the target, red from 90%, then breached. */
export type SlaLevel = "ok" | "warning" | "danger" | "breached";

export function levelOf(percent: number, isBreached: boolean): SlaLevel {
  if (isBreached || percent >= 100) return "breached";
  if (percent >= 90) return "danger";
  if (percent >= 75) return "warning";
  return "ok";
}

/**
 * The clock a ticket's badge shows: of the clocks still counting (running, paused, or breached
 * and not yet met), the one furthest through its target. Undefined when every clock is met.
 */
export function drivingClock(clocks: readonly SlaClock[]): SlaClock | undefined {
  const live = clocks.filter((c) => c.state !== "met");
  return live.reduce<SlaClock | undefined>((worst, c) => {
    if (!worst) return c;
    if ((c.state === "breached") !== (worst.state === "breached")) return c.state === "breached" ? c : worst;
    return c.percent > worst.percent ? c : worst;
  }, undefined);
}

export const levelLabels: Record<SlaLevel, string> = {
  ok: "on track",
  warning: "at risk (75%)",
  danger: "at risk (90%)",
  breached: "breached",
};
