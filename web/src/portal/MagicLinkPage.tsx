import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router";
import { redeemMagicLink } from "../api/auth.ts";
import { landingFor, rememberSession } from "../auth/session.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Loading } from "../components/Loading.tsx";
import { clearFragment, readFragmentToken } from "../lib/fragmentToken.ts";

/** Where an emailed sign-in link lands: spends the token once, then goes on to the tickets. */
export function MagicLinkPage() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [isMissing, setIsMissing] = useState(false);
  // The token works once; React may run an effect twice in development, so spend it once.
  const spent = useRef(false);

  useEffect(() => {
    if (spent.current) return;
    spent.current = true;
    const token = readFragmentToken();
    clearFragment();
    if (!token) {
      setIsMissing(true);
      return;
    }
    redeemMagicLink(token)
      .then((session) => {
        rememberSession(client, session);
        void navigate(landingFor(session.user, null), { replace: true });
      })
      .catch(setError);
  }, [client, navigate]);

  if (!error && !isMissing) return <Loading label="Signing you in…" />;
  return (
    <main id="main" className="narrow">
      <h1>Sign-in link</h1>
      <ErrorMessage
        title="This link did not work"
        error={isMissing ? new Error("The link is incomplete. Open it straight from the email.") : new Error("It may have been used already or expired (links last 15 minutes).")}
      />
      <p>
        <Link to="/login">Ask for a new link or sign in with your password</Link>
      </p>
    </main>
  );
}
