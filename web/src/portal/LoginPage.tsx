import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { login, requestMagicLink } from "../api/auth.ts";
import { ApiError } from "../api/ApiError.ts";
import { landingFor, rememberSession, useSession } from "../auth/session.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Field } from "../components/Field.tsx";
import { isEmail } from "../lib/isEmail.ts";

type Mode = "password" | "magic";

/** Sign in with a password, or ask for a one-time link by email. */
export function LoginPage() {
  const [params] = useSearchParams();
  const next = params.get("next");
  const { user } = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [mode, setMode] = useState<Mode>("password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});

  const signIn = useMutation({
    mutationFn: () => login(email.trim(), password),
    onSuccess: (session) => {
      rememberSession(client, session);
      void navigate(landingFor(session.user, next), { replace: true });
    },
  });
  const sendLink = useMutation({ mutationFn: () => requestMagicLink(email.trim()) });

  if (user && !signIn.isPending && !signIn.isSuccess) return <Navigate to={landingFor(user, next)} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!isEmail(email)) found.email = "Enter the email address you use with us.";
    if (mode === "password" && !password) found.password = "Enter your password.";
    setErrors(found);
    if (Object.keys(found).length) return;
    if (mode === "password") signIn.mutate();
    else sendLink.mutate();
  };

  const failure = mode === "password" ? signIn.error : sendLink.error;
  return (
    <main id="main" className="narrow">
      <h1>Sign in</h1>
      <div className="segmented" role="group" aria-label="How to sign in">
        <button type="button" aria-pressed={mode === "password"} onClick={() => setMode("password")}>
          With a password
        </button>
        <button type="button" aria-pressed={mode === "magic"} onClick={() => setMode("magic")}>
          With an email link
        </button>
      </div>
      {mode === "magic" && sendLink.isSuccess ? (
        <div className="alert alert-success" role="status">
          <strong>Check your email.</strong> If {email.trim()} has an account, a sign-in link is on its way. It works once, for 15
          minutes.
        </div>
      ) : (
        <form onSubmit={submit} noValidate className="form">
          {failure && (
            <ErrorMessage
              title="Could not sign in"
              error={failure instanceof ApiError && failure.status === 401 ? new Error("The email or password is not right.") : failure}
            />
          )}
          <Field label="Email" error={errors.email}>
            <input type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </Field>
          {mode === "password" && (
            <Field label="Password" error={errors.password}>
              <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
            </Field>
          )}
          <button type="submit" className="button" disabled={signIn.isPending || sendLink.isPending}>
            {mode === "password" ? (signIn.isPending ? "Signing in…" : "Sign in") : sendLink.isPending ? "Sending…" : "Email me a sign-in link"}
          </button>
        </form>
      )}
      <p className="muted">
        <Link to="/forgot-password">Forgot your password?</Link> · No account? <Link to="/contact">Contact support</Link>
      </p>
    </main>
  );
}
