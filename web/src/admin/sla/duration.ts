/** Targets are seconds on the wire; people enter and read hours and minutes. */
export function splitSeconds(seconds: number): { hours: string; minutes: string } {
  return { hours: String(Math.floor(seconds / 3600)), minutes: String(Math.round((seconds % 3600) / 60)) };
}

/** Whole hours and minutes back to seconds; null when either is not a whole number ≥ 0. */
export function joinSeconds(hours: string, minutes: string): number | null {
  const h = hours.trim() === "" ? 0 : Number(hours);
  const m = minutes.trim() === "" ? 0 : Number(minutes);
  if (!Number.isInteger(h) || !Number.isInteger(m) || h < 0 || m < 0 || m > 59) return null;
  return h * 3600 + m * 60;
}

/** "24 h", "1 h 30 min", "45 min". */
export function describeSeconds(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  if (h && m) return `${h} h ${m} min`;
  if (h) return `${h} h`;
  return `${m} min`;
}
