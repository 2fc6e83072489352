import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { ApiError } from "../api/ApiError.ts";
import { logout as apiLogout, me } from "../api/auth.ts";
import { queryKeys } from "../api/queryKeys.ts";
import type { Session, User } from "../api/types.ts";
import { hasSignedInHint, setSignedInHint } from "../lib/signedInHint.ts";

async function loadMe(): Promise<User | null> {
  if (!hasSignedInHint()) return null;
  try {
    return await me();
  } catch (error) {
    if (error instanceof ApiError && error.isUnauthenticated) {
      setSignedInHint(false);
      return null;
    }
    throw error;
  }
}

/** Who is signed in: undefined while asking, null when nobody is. */
export function useSession() {
  const query = useQuery({ queryKey: queryKeys.me, queryFn: loadMe, staleTime: 5 * 60_000, retry: false });
  return { user: query.data, isLoading: query.isPending, error: query.error };
}

/** Records a fresh session (login, magic link): the cookie is already set by the answer. */
export function rememberSession(client: QueryClient, session: Session): void {
  setSignedInHint(true);
  client.setQueryData(queryKeys.me, session.user);
}

/** Forgets the session everywhere in the app, e.g. after the server answered 401. */
export function forgetSession(client: QueryClient): void {
  setSignedInHint(false);
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.me[0] });
  client.setQueryData(queryKeys.me, null);
}

export function useSignOut() {
  const client = useQueryClient();
  return useCallback(async () => {
    try {
      await apiLogout();
    } finally {
      forgetSession(client);
    }
  }, [client]);
}

export const isStaffRole = (user: User | null | undefined) => user?.role === "agent" || user?.role === "admin";

/** Where a person lands after signing in: where they were going if that is a page of ours. */
export function landingFor(user: User, next: string | null): string {
  if (next && next.startsWith("/") && !next.startsWith("//")) return next;
  return isStaffRole(user) ? "/desk" : "/tickets";
}
