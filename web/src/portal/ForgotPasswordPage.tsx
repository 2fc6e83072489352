import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { requestPasswordReset } from "../api/auth.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Field } from "../components/Field.tsx";
import { isEmail } from "../lib/isEmail.ts";

export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string>();
  const send = useMutation({ mutationFn: () => requestPasswordReset(email.trim()) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = isEmail(email) ? undefined : "Enter the email address you use with us.";
    setError(problem);
    if (!problem) send.mutate();
  };
  return (
    <main id="main" className="narrow">
      <h1>Reset your password</h1>
      {send.isSuccess ? (
        <div className="alert alert-success" role="status">
          <strong>Check your email.</strong> If {email.trim()} has an account, a link to choose a new password is on its way. It
          works once, for an hour.
        </div>
      ) : (
        <form onSubmit={submit} noValidate className="form">
          {send.error && <ErrorMessage error={send.error} />}
          <Field label="Email" error={error}>
            <input type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </Field>
          <button type="submit" className="button" disabled={send.isPending}>
            Email me a reset link
          </button>
        </form>
      )}
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </main>
  );
}
