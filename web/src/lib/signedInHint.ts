/**
 * Whether this browser signed in last time. The session cookie is HttpOnly, so the app cannot
 * see it; without this hint every signed-out visit would ask /auth/me and get a 401 that only
 * clutters the console and the logs. A stale hint costs one 401, after which it is cleared.
 */
const key = "switchboard.signedIn";

export function hasSignedInHint(): boolean {
  try {
    return localStorage.getItem(key) === "1";
  } catch {
    // Storage blocked (privacy mode): ask the server every time.
    return true;
  }
}

export function setSignedInHint(isSignedIn: boolean): void {
  try {
    if (isSignedIn) localStorage.setItem(key, "1");
    else localStorage.removeItem(key);
  } catch {
    // Nothing to remember it in; the server stays the authority.
  }
}
