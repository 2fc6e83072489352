import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { adminKeys } from "../../api/admin/adminKeys.ts";
import { listTokens, revokeToken } from "../../api/admin/tokens.ts";
import type { NewToken, TokenInfo } from "../../api/admin/types.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { Loading } from "../../components/Loading.tsx";
import { formatDateTime } from "../../lib/time.ts";
import { Feedback, useNotice } from "../components/Feedback.tsx";
import { SecretOnce } from "../components/SecretOnce.tsx";
import { When } from "../components/When.tsx";
import { TokenForm } from "./TokenForm.tsx";

function stateOf(t: TokenInfo): string {
  if (t.revokedAt) return `Revoked ${formatDateTime(t.revokedAt)}`;
  if (t.expiresAt && new Date(t.expiresAt).getTime() < Date.now()) return `Expired ${formatDateTime(t.expiresAt)}`;
  return t.expiresAt ? `Valid until ${formatDateTime(t.expiresAt)}` : "Valid, no expiry";
}

/** API tokens: who they act as, when last used; create (the secret shown once) and revoke. */
export function TokensPage() {
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: adminKeys.tokens, queryFn: ({ signal }) => listTokens(signal) });
  const [fresh, setFresh] = useState<NewToken | null>(null);
  const notice = useNotice();
  const revoke = useMutation({
    mutationFn: (t: TokenInfo) => revokeToken(t.id),
    onSuccess: (_, t) => {
      void client.invalidateQueries({ queryKey: adminKeys.tokens });
      notice.success(`“${t.name}” is revoked: requests with it are refused from now on.`);
    },
    onError: (e) => notice.failure(e, "The token was not revoked"),
  });
  return (
    <>
      <h1>API tokens</h1>
      <p className="muted">
        Scripts and integrations send a token as <code>Authorization: Bearer …</code>. See the <a href="/api/docs">API reference</a>.
      </p>
      {fresh && (
        <SecretOnce
          title={`The token “${fresh.name}”`}
          secret={fresh.token}
          note="Use it as the Bearer token."
          onDone={() => setFresh(null)}
        />
      )}
      <Feedback notice={notice.notice} onDismiss={notice.clear} />
      <TokenForm
        key={fresh?.id ?? "first"}
        onCreated={(t) => {
          notice.success(`The token “${t.name}” is created.`);
          setFresh(t);
        }}
      />
      {tokens.isPending ? (
        <Loading label="Loading tokens…" />
      ) : tokens.error ? (
        <ErrorMessage error={tokens.error} title="Tokens could not be loaded" />
      ) : tokens.data.length === 0 ? (
        <p className="empty">No API tokens yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table">
            <caption className="visually-hidden">API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Acts as</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((t) => (
                <tr key={t.id} data-token={t.name} className={t.revokedAt ? "inactive" : undefined}>
                  <td>{t.name}</td>
                  <td>{t.userName}</td>
                  <td>
                    <When at={t.createdAt} />
                  </td>
                  <td>
                    <When at={t.lastUsedAt} />
                  </td>
                  <td>{stateOf(t)}</td>
                  <td>
                    {!t.revokedAt && (
                      <button
                        type="button"
                        className="button button-secondary button-small button-danger"
                        disabled={revoke.isPending}
                        onClick={() => { if (window.confirm(`Revoke “${t.name}”? Anything using it stops working.`)) revoke.mutate(t); }}
                      >
                        Revoke<span className="visually-hidden"> {t.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
