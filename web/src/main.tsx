import { QueryCache, QueryClient, QueryClientProvider, MutationCache } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";
import { ApiError } from "./api/ApiError.ts";
import { forgetSession } from "./auth/session.ts";
import { router } from "./router.tsx";
import "./styles/base.css";
import "./styles/components.css";
import "./styles/portal.css";
import "./styles/desk.css";

/** A 401 anywhere means the session ended (expired, revoked): forget it, so guards send people to sign in. */
function onApiError(error: unknown) {
  if (error instanceof ApiError && error.isUnauthenticated) forgetSession(queryClient);
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A 4xx will not get better by asking again; a dropped connection might.
      retry: (count, error) => count < 2 && error instanceof ApiError && error.status === 0,
      refetchOnWindowFocus: true,
    },
  },
});

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
