import type { KeyboardEvent } from "react";

/**
 * For inputs of a sub-form nested in a bigger form (holiday import, the preview): Enter runs
 * their own action instead of submitting, and so saving, the surrounding form.
 */
export const onEnter = (action: () => void) => (event: KeyboardEvent<HTMLInputElement>) => {
  if (event.key !== "Enter") return;
  event.preventDefault();
  action();
};
