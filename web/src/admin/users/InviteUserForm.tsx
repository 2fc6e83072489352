import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { inviteUser } from "../../api/admin/users.ts";
import { listOrganizations } from "../../api/people.ts";
import { queryKeys } from "../../api/queryKeys.ts";
import type { Role, User } from "../../api/types.ts";
import { ErrorSummary } from "../../components/ErrorSummary.tsx";
import { Field } from "../../components/Field.tsx";
import { isEmail } from "../../lib/isEmail.ts";
import { useFormErrors } from "../../lib/useFormErrors.ts";
import { clientErrors } from "../lib/clientErrors.ts";
import { describeError } from "../components/Feedback.tsx";
import { roleLabels } from "./roleLabels.ts";

const fields = ["email", "name", "role", "organizationId"] as const;

export type Invited = User & { inviteUrl: string | null };

/** Invites a person: the server mails them a link to set their password. The parent remounts it after each invitation. */
export function InviteUserForm({ onInvited }: { onInvited: (user: Invited) => void }) {
  const client = useQueryClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const [organizationId, setOrganizationId] = useState("");
  const orgs = useQuery({ queryKey: queryKeys.organizations, queryFn: ({ signal }) => listOrganizations(signal), enabled: role === "customer" });
  const form = useFormErrors(clientErrors({
    email: isEmail(email) ? undefined : "Enter the person's email address.",
    name: name.trim() ? undefined : "Enter the person's name.",
  }));
  const invite = useMutation({
    mutationFn: () => inviteUser({ email: email.trim(), name: name.trim(), role, ...(role === "customer" && organizationId ? { organizationId } : {}) }),
    onSuccess: (user) => {
      onInvited(user);
      void client.invalidateQueries({ queryKey: adminKeys.users });
      void client.invalidateQueries({ queryKey: adminKeys.staff });
    },
    onError: (error) => form.takeServerError(error, fields),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.tryToSend()) invite.mutate();
  };
  const isFieldError = invite.error && form.count > 0;
  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <ErrorSummary count={form.count} />
      {invite.error && !isFieldError && (
        <p className="alert alert-error" role="alert">
          The invitation was not sent: {describeError(invite.error)}
        </p>
      )}
      <div className="field-row">
        <Field label="Email" error={form.errors.email}>
          <input type="email" autoComplete="off" value={email} onChange={(e) => { setEmail(e.target.value); form.clearServerError("email"); }} />
        </Field>
        <Field label="Name" error={form.errors.name}>
          <input type="text" autoComplete="off" value={name} onChange={(e) => { setName(e.target.value); form.clearServerError("name"); }} />
        </Field>
        <Field label="Role" error={form.errors.role}>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {(Object.keys(roleLabels) as Role[]).map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </select>
        </Field>
        {role === "customer" && (
          <Field label="Organization (optional)" error={form.errors.organizationId}>
            <select value={organizationId} onChange={(e) => { setOrganizationId(e.target.value); form.clearServerError("organizationId"); }}>
              <option value="">None</option>
              {(orgs.data ?? []).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </Field>
        )}
      </div>
      <button type="submit" className="button" disabled={invite.isPending}>
        {invite.isPending ? "Inviting…" : "Send invitation"}
      </button>
    </form>
  );
}
