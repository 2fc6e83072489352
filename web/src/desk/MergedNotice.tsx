import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { getTicket } from "../api/tickets.ts";
import type { Ticket } from "../api/types.ts";

/** On a merged ticket: where its conversation went. The ticket only knows the target's id. */
export function MergedNotice({ ticket }: { ticket: Ticket }) {
  const targetId = ticket.mergedIntoId;
  const target = useQuery({
    queryKey: ["ticket-by-id", targetId],
    queryFn: ({ signal }) => getTicket(targetId!, signal),
    enabled: targetId !== null,
    staleTime: 5 * 60_000,
  });
  return (
    <div className="alert alert-info merged-notice" role="note">
      <strong>Merged.</strong> This ticket was merged into{" "}
      {target.data ? (
        <Link to={`/desk/tickets/${target.data.number}`}>
          <span className="mono">{target.data.number}</span> {target.data.subject}
        </Link>
      ) : (
        "another ticket"
      )}
      ; it is closed, its messages are there now, and it cannot be reopened.
    </div>
  );
}
