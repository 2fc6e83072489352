import { useMutation } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { confirmPasswordReset } from "../api/auth.ts";
import { ApiError } from "../api/ApiError.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Field } from "../components/Field.tsx";
import { clearFragment, readFragmentToken } from "../lib/fragmentToken.ts";

const minLength = 12;

/** Where reset and invitation links land: both choose a password with a one-time token. */
export function SetPasswordPage({ purpose }: { purpose: "reset" | "invite" }) {
  const [token] = useState(readFragmentToken);
  useEffect(clearFragment, []);
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<{ password?: string; repeat?: string }>({});
  const save = useMutation({ mutationFn: () => confirmPasswordReset(token ?? "", password) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (password.length < minLength) found.password = `Use at least ${minLength} characters.`;
    if (repeat !== password) found.repeat = "The two passwords are not the same.";
    setErrors(found);
    if (!Object.keys(found).length) save.mutate();
  };

  const title = purpose === "invite" ? "Welcome: choose your password" : "Choose a new password";
  if (!token) {
    return (
      <main id="main" className="narrow">
        <h1>{title}</h1>
        <ErrorMessage title="This link is incomplete" error={new Error("Open it straight from the email.")} />
        <p>
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </main>
    );
  }
  return (
    <main id="main" className="narrow">
      <h1>{title}</h1>
      {save.isSuccess ? (
        <div className="alert alert-success" role="status">
          <strong>Your password is set.</strong> <Link to="/login">Sign in</Link>
        </div>
      ) : (
        <form onSubmit={submit} noValidate className="form">
          {save.error && (
            <ErrorMessage
              title="The password was not saved"
              error={save.error instanceof ApiError && save.error.status === 400 && !save.error.fieldErrors.password ? new Error("The link has been used already or has expired. Ask for a new one.") : save.error}
            />
          )}
          <Field label="New password" hint={`At least ${minLength} characters.`} error={errors.password ?? (save.error instanceof ApiError ? save.error.fieldErrors.password : undefined)}>
            <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </Field>
          <Field label="Repeat the password" error={errors.repeat}>
            <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
          </Field>
          <button type="submit" className="button" disabled={save.isPending}>
            Save password
          </button>
        </form>
      )}
    </main>
  );
}
