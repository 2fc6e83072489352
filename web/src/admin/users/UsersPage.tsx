import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { listUsers } from "../../api/admin/users.ts";
import type { Role } from "../../api/types.ts";
import { useSession } from "../../auth/session.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Loading } from "../../components/Loading.tsx";
import { useIsAdmin } from "../components/AdminOnly.tsx";
import { Feedback, useNotice } from "../components/Feedback.tsx";
import { InviteUserForm, type Invited } from "./InviteUserForm.tsx";
import { CopyButton } from "../components/CopyButton.tsx";
import { roleLabels } from "./roleLabels.ts";
import { UserRow } from "./UserRow.tsx";

/** Everyone with an account, filtered by role or name; admins invite, change roles and deactivate. */
export function UsersPage() {
  const isAdmin = useIsAdmin();
  const { user: me } = useSession();
  const [role, setRole] = useState<Role | "">("");
  const [q, setQ] = useState("");
  const filters = { role: role || undefined, q: q.trim() || undefined };
  const users = useInfiniteQuery({
    queryKey: adminKeys.userList({ role, q: q.trim() }),
    queryFn: ({ pageParam, signal }) => listUsers(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const notice = useNotice();
  const [invited, setInvited] = useState<Invited | null>(null);
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <h1>Users and roles</h1>
      {!isAdmin && <p className="muted">Only admins can invite people or change their role.</p>}
      {invited && (
        <div className="alert alert-success" role="status">
          <p>
            {invited.name} is invited as {roleLabels[invited.role].toLowerCase()}. An invitation mail is on its way to {invited.email}.
          </p>
          {invited.inviteUrl && (
            <p className="secret-row">
              <span>If the mail does not arrive, send them this one-time link yourself:</span> <CopyButton text={invited.inviteUrl} label="Copy invitation link" />
            </p>
          )}
        </div>
      )}
      {/* A fresh form after each invitation, so its "tried to send" state starts over. */}
      {isAdmin && <InviteUserForm key={invited?.id ?? "first"} onInvited={setInvited} />}
      <Feedback notice={notice.notice} onDismiss={notice.clear} />
      <div className="queue-filters">
        <label className="filter">
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role | "")}>
            <option value="">Everyone</option>
            {(Object.keys(roleLabels) as Role[]).map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}s
              </option>
            ))}
          </select>
        </label>
        <label className="filter filter-search">
          Name or email
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
      </div>
      {users.isPending ? (
        <Loading label="Loading people…" />
      ) : users.error ? (
        <ErrorMessage error={users.error} title="People could not be loaded" />
      ) : rows.length === 0 ? (
        <p className="empty">Nobody matches.</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table">
            <caption className="visually-hidden">People</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
                <th scope="col">Added</th>
                {isAdmin && <th scope="col"><span className="visually-hidden">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <UserRow key={u.id} user={u} isAdmin={isAdmin} isMe={u.id === me?.id} onDone={notice.success} onError={(e) => notice.failure(e, "The change was not saved")} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {users.hasNextPage && (
        <button type="button" className="button button-secondary load-more" disabled={users.isFetchingNextPage} onClick={() => void users.fetchNextPage()}>
          {users.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      )}
    </>
  );
}
