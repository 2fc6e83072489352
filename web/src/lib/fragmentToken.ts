/**
 * The one-time token of an account link (`/login/magic#token=…`). It rides in the fragment so
 * it never reaches a server log. Reading is pure (React may render twice); the page clears the
 * fragment afterwards so the token does not linger in the address bar or history.
 */
export function readFragmentToken(): string | null {
  return new URLSearchParams(location.hash.replace(/^#/, "")).get("token");
}

export function clearFragment(): void {
  if (location.hash) history.replaceState(history.state, "", location.pathname + location.search);
}
