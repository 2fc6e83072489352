import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { createToken } from "../../api/admin/tokens.ts";
import type { NewToken } from "../../api/admin/types.ts";
import { listStaff } from "../../api/people.ts";
import { ErrorSummary } from "../../components/ErrorSummary.tsx";
import { Field } from "../../components/Field.tsx";
import { useFormErrors } from "../../lib/useFormErrors.ts";
import { clientErrors } from "../lib/clientErrors.ts";
import { describeError } from "../components/Feedback.tsx";

const fields = ["name", "userId", "expiresAt"] as const;

/** Mints a token that acts as a person (yourself unless chosen), optionally until a date. The parent remounts it after each token. */
export function TokenForm({ onCreated }: { onCreated: (t: NewToken) => void }) {
  const client = useQueryClient();
  const staff = useQuery({ queryKey: adminKeys.staff, queryFn: ({ signal }) => listStaff(signal), staleTime: 60_000 });
  const [name, setName] = useState("");
  const [userId, setUserId] = useState("");
  const [expires, setExpires] = useState("");
  const isPast = expires !== "" && new Date(`${expires}T23:59:59`).getTime() < Date.now();
  const form = useFormErrors(clientErrors({
    name: name.trim() ? undefined : "Name the token after what uses it, for example “Nightly export”.",
    expiresAt: isPast ? "Choose a date in the future, or none." : undefined,
  }));
  const create = useMutation({
    // The token is valid through the chosen day, in the admin's own time zone.
    mutationFn: () => createToken({ name: name.trim(), userId: userId || undefined, expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined }),
    onSuccess: (t) => {
      void client.invalidateQueries({ queryKey: adminKeys.tokens });
      onCreated(t);
    },
    onError: (error) => form.takeServerError(error, fields),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.tryToSend()) create.mutate();
  };
  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form" aria-labelledby="new-token-title">
      <h2 id="new-token-title">New API token</h2>
      <ErrorSummary count={form.count} />
      {create.error && form.count === 0 && (
        <p className="alert alert-error" role="alert">
          The token was not created: {describeError(create.error)}
        </p>
      )}
      <div className="field-row">
        <Field label="Token name" error={form.errors.name}>
          <input type="text" maxLength={100} value={name} onChange={(e) => { setName(e.target.value); form.clearServerError("name"); }} />
        </Field>
        <Field label="Acts as" hint="The token has this person's rights." error={form.errors.userId}>
          <select value={userId} onChange={(e) => { setUserId(e.target.value); form.clearServerError("userId"); }}>
            <option value="">Me</option>
            {(staff.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.role})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Expires (optional)" hint="Valid through the end of this day." error={form.errors.expiresAt}>
          <input type="date" value={expires} onChange={(e) => { setExpires(e.target.value); form.clearServerError("expiresAt"); }} />
        </Field>
      </div>
      <button type="submit" className="button" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}
