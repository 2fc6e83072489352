/** Tags are lower-case, trimmed and unique, in first-seen order. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    const t = tag.trim().toLowerCase();
    if (t) seen.add(t);
  }
  return [...seen];
}

export function applyTagChanges(current: readonly string[], add: readonly string[], remove: readonly string[]): string[] {
  const removed = new Set(normalizeTags(remove));
  return normalizeTags([...current, ...add]).filter((t) => !removed.has(t));
}
