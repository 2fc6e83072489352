import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { createTeam, updateTeam } from "../../api/admin/teams.ts";
import { listStaff } from "../../api/people.ts";
import type { Team } from "../../api/types.ts";
import { ErrorSummary } from "../../components/ErrorSummary.tsx";
import { Field } from "../../components/Field.tsx";
import { Loading } from "../../components/Loading.tsx";
import { useFormErrors } from "../../lib/useFormErrors.ts";
import { clientErrors } from "../lib/clientErrors.ts";
import { describeError } from "../components/Feedback.tsx";

const fields = ["name", "description", "members"] as const;
type Membership = Record<string, { isMember: boolean; isLead: boolean }>;

/** Creates a team or edits one: its name, description, members and leads (the server replaces the membership). */
export function TeamForm({ team, onSaved, onCancel }: { team: Team | null; onSaved: (t: Team) => void; onCancel: () => void }) {
  const client = useQueryClient();
  const staff = useQuery({ queryKey: adminKeys.staff, queryFn: ({ signal }) => listStaff(signal), staleTime: 60_000 });
  const [name, setName] = useState(team?.name ?? "");
  const [description, setDescription] = useState(team?.description ?? "");
  const [members, setMembers] = useState<Membership>(() =>
    Object.fromEntries((team?.members ?? []).map((m) => [m.userId, { isMember: true, isLead: m.isLead }])),
  );
  const form = useFormErrors(clientErrors({ name: name.trim() ? undefined : "Give the team a name." }));
  const save = useMutation({
    mutationFn: () => {
      const input = {
        name: name.trim(),
        description,
        members: Object.entries(members)
          .filter(([, m]) => m.isMember)
          .map(([userId, m]) => ({ userId, isLead: m.isLead })),
      };
      return team ? updateTeam(team.id, input) : createTeam(input);
    },
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: adminKeys.teams });
      onSaved(saved);
    },
    onError: (error) => form.takeServerError(error, fields),
  });
  const set = (userId: string, change: Partial<{ isMember: boolean; isLead: boolean }>) =>
    setMembers((all) => {
      const now = { isMember: false, isLead: false, ...all[userId], ...change };
      if (!now.isMember) now.isLead = false;
      if (now.isLead) now.isMember = true;
      return { ...all, [userId]: now };
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.tryToSend()) save.mutate();
  };
  const title = team ? `Edit ${team.name}` : "New team";
  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="form" aria-label={title}>
      <h2>{title}</h2>
      <ErrorSummary count={form.count} />
      {save.error && form.count === 0 && (
        <p className="alert alert-error" role="alert">
          The team was not saved: {describeError(save.error)}
        </p>
      )}
      <div className="field-row">
        <Field label="Team name" error={form.errors.name}>
          <input type="text" value={name} onChange={(e) => { setName(e.target.value); form.clearServerError("name"); }} />
        </Field>
        <Field label="Description" error={form.errors.description}>
          <input type="text" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
      </div>
      <fieldset className="member-picker">
        <legend>Members</legend>
        {form.errors.members && <p className="field-error">{form.errors.members}</p>}
        {staff.isPending ? (
          <Loading label="Loading agents…" />
        ) : staff.error ? (
          <p className="alert alert-error">Agents could not be loaded: {describeError(staff.error)}</p>
        ) : (
          <table className="admin-table compact">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Member</th>
                <th scope="col">Lead</th>
              </tr>
            </thead>
            <tbody>
              {staff.data.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>
                    <input type="checkbox" aria-label={`${u.name} is a member`} checked={members[u.id]?.isMember ?? false} onChange={(e) => set(u.id, { isMember: e.target.checked })} />
                  </td>
                  <td>
                    <input type="checkbox" aria-label={`${u.name} leads the team`} checked={members[u.id]?.isLead ?? false} onChange={(e) => set(u.id, { isLead: e.target.checked })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </fieldset>
      <div className="actions">
        <button type="submit" className="button" disabled={save.isPending}>
          {save.isPending ? "Saving…" : team ? "Save team" : "Create team"}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
