import { useEffect, useLayoutEffect, useRef } from "react";

export type Shortcuts = Partial<Record<string, (event: KeyboardEvent) => void>>;

/** True while the person is typing somewhere, where letters must stay letters. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target as HTMLInputElement).type;
  return !["checkbox", "radio", "button", "submit", "reset"].includes(type);
}

/**
 * Single-key shortcuts for the page (j, k, Enter, r, n, a, /). They stay out of the way while
 * the person types, and when a modifier is held (so browser shortcuts keep working). Escape
 * always works: it leaves the field being typed in.
 */
export function useShortcuts(shortcuts: Shortcuts): void {
  const current = useRef(shortcuts);
  useLayoutEffect(() => {
    current.current = shortcuts;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "Escape" && isTyping(event.target)) {
        (event.target as HTMLElement).blur();
        return;
      }
      if (isTyping(event.target)) return;
      // Enter on a link or button already means "activate it".
      if (event.key === "Enter" && event.target instanceof HTMLElement && event.target.closest("a, button")) return;
      const action = current.current[event.key];
      if (!action) return;
      event.preventDefault();
      action(event);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
