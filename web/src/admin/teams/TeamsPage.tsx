import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { listTeams } from "../../api/people.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Loading } from "../../components/Loading.tsx";
import { useIsAdmin } from "../components/AdminOnly.tsx";
import { Feedback, useNotice } from "../components/Feedback.tsx";
import { TeamForm } from "./TeamForm.tsx";

/** Teams with their members and leads; admins create and edit them. */
export function TeamsPage() {
  const isAdmin = useIsAdmin();
  const teams = useQuery({ queryKey: adminKeys.teams, queryFn: ({ signal }) => listTeams(signal) });
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const notice = useNotice();
  const editingTeam = teams.data?.find((t) => t.id === editing) ?? null;
  return (
    <>
      <div className="page-head">
        <h1>Teams</h1>
        {isAdmin && editing === null && (
          <button type="button" className="button" onClick={() => { notice.clear(); setEditing("new"); }}>
            New team
          </button>
        )}
      </div>
      {!isAdmin && <p className="muted">Only admins can create or change teams.</p>}
      <Feedback notice={notice.notice} onDismiss={notice.clear} />
      {editing !== null && (editing === "new" || editingTeam) && (
        <TeamForm
          key={editing}
          team={editingTeam}
          onCancel={() => setEditing(null)}
          onSaved={(t) => {
            setEditing(null);
            notice.success(`${t.name} is saved with ${t.members.length} member${t.members.length === 1 ? "" : "s"}.`);
          }}
        />
      )}
      {teams.isPending ? (
        <Loading label="Loading teams…" />
      ) : teams.error ? (
        <ErrorMessage error={teams.error} title="Teams could not be loaded" />
      ) : teams.data.length === 0 ? (
        <p className="empty">No teams yet.</p>
      ) : (
        <ul className="admin-cards">
          {teams.data.map((t) => (
            <li key={t.id} className="panel">
              <h2>{t.name}</h2>
              {t.description && <p className="muted">{t.description}</p>}
              {t.members.length === 0 ? (
                <p className="muted">No members.</p>
              ) : (
                <ul className="member-list">
                  {t.members.map((m) => (
                    <li key={m.userId}>
                      {m.name}
                      {m.isLead && <span className="badge status-in_progress">Lead</span>}
                    </li>
                  ))}
                </ul>
              )}
              {isAdmin && (
                <button type="button" className="button button-secondary button-small" onClick={() => { notice.clear(); setEditing(t.id); }}>
                  Edit<span className="visually-hidden"> {t.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
