/** A connection's status in words: a short label and what the admin should do about it. */
export function connectionStatusText(status: string): { short: string; tone: "ok" | "warn" | "danger"; advice: string } {
  switch (status) {
    case "active":
      return { short: "Active", tone: "ok", advice: "Syncing normally." };
    case "awaiting_authorization":
      return { short: "Waiting for authorization", tone: "warn", advice: "Finish the OAuth consent at Atlassian to start syncing." };
    case "paused":
      return { short: "Paused", tone: "warn", advice: "Sync is paused until an admin resumes it by saving or testing the connection." };
    case "auth_failed":
      return { short: "Paused: sign-in failed", tone: "danger", advice: "Jira refused the credentials. Update the token or password, then test the connection." };
    case "revoked":
      return { short: "Paused: access revoked", tone: "danger", advice: "Jira refused to renew access. Authorize Switchboard again." };
    case "mapping_invalid":
      return { short: "Paused: mapping no longer valid", tone: "danger", advice: "A mapped status, field or option no longer exists in Jira. Fix the mapping, then test." };
    case "config_invalid":
      return { short: "Paused: settings not usable", tone: "danger", advice: "The project, issue type or URL is wrong. Fix the settings, then test." };
    default:
      return { short: status, tone: "warn", advice: "Test the connection to find out more." };
  }
}
