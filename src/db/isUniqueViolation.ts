/** True for PostgreSQL's unique_violation, whether the driver puts the code on the error or its cause. */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const code = (e as { code?: unknown }).code ?? (e as { cause?: { code?: unknown } }).cause?.code;
  return code === "23505";
}
