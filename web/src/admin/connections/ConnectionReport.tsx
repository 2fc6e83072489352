import type { ConnectionCheck } from "../../api/admin/types.ts";

const checkNames: Record<string, string> = {
  credentials: "Signing in",
  project: "Project",
  issue_type: "Issue type",
  statuses: "Status mapping",
  fields: "Fields on the create screen",
};
const resultText: Record<ConnectionCheck["result"], string> = { ok: "OK", failed: "Failed", skipped: "Not checked" };

/** The test's answer, check by check, in words. */
export function ConnectionReport({ report }: { report: { ok: boolean; checks: ConnectionCheck[] } }) {
  return (
    <div className={`alert ${report.ok ? "alert-success" : "alert-error"}`} role="status">
      <p>
        <strong>{report.ok ? "The connection works." : "The connection test found problems."}</strong>
      </p>
      <ul className="check-list">
        {report.checks.map((c) => (
          <li key={c.name} data-result={c.result}>
            <strong>{checkNames[c.name] ?? c.name}:</strong> {resultText[c.result]}. {c.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
