import { useMutation, useQueryClient } from "@tanstack/react-query";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { updateUser, type UserChange } from "../../api/admin/users.ts";
import type { Role, User } from "../../api/types.ts";
import { When } from "../components/When.tsx";
import { roleLabels } from "./roleLabels.ts";

type Props = { user: User; isAdmin: boolean; isMe: boolean; onDone: (text: string) => void; onError: (error: unknown) => void };

/** One person: role and active state change at once, each with a message saying what happened. */
export function UserRow({ user, isAdmin, isMe, onDone, onError }: Props) {
  const client = useQueryClient();
  const change = useMutation({
    mutationFn: (c: UserChange) => updateUser(user.id, c),
    onSuccess: (updated, c) => {
      void client.invalidateQueries({ queryKey: adminKeys.users });
      void client.invalidateQueries({ queryKey: adminKeys.staff });
      if (c.role) onDone(`${updated.name} is now ${roleLabels[updated.role].toLowerCase()}.`);
      else onDone(updated.isActive ? `${updated.name} can sign in again.` : `${updated.name} is deactivated and signed out everywhere.`);
    },
    onError: (error) => onError(error),
  });
  // The server refuses an admin demoting or deactivating themselves; the controls say so first.
  const isLocked = !isAdmin || isMe || change.isPending;
  return (
    <tr data-user={user.email} className={user.isActive ? undefined : "inactive"}>
      <td>
        {user.name}
        {isMe && <span className="muted"> (you)</span>}
      </td>
      <td className="mono">{user.email}</td>
      <td>
        {isAdmin ? (
          <>
            <label className="visually-hidden" htmlFor={`role-${user.id}`}>
              Role of {user.name}
            </label>
            <select id={`role-${user.id}`} value={user.role} disabled={isLocked} onChange={(e) => change.mutate({ role: e.target.value as Role })}>
              {(Object.keys(roleLabels) as Role[]).map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]}
                </option>
              ))}
            </select>
          </>
        ) : (
          roleLabels[user.role]
        )}
      </td>
      <td>
        {user.isActive ? (user.hasPassword ? "Active" : "Invited (no password yet)") : <span className="badge status-closed">Deactivated</span>}
      </td>
      <td>
        <When at={user.createdAt} />
      </td>
      {isAdmin && (
        <td>
          {!isMe && (
            <button type="button" className="button button-secondary button-small" disabled={isLocked} onClick={() => change.mutate({ isActive: !user.isActive })}>
              {user.isActive ? `Deactivate` : `Reactivate`}
              <span className="visually-hidden"> {user.name}</span>
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
