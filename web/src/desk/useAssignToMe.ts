import { useMutation, useQueryClient } from "@tanstack/react-query";
import { queryKeys } from "../api/queryKeys.ts";
import { updateTicket } from "../api/tickets.ts";
import { useSession } from "../auth/session.ts";

/** The `a` shortcut and button: the signed-in agent takes a ticket. */
export function useAssignToMe() {
  const client = useQueryClient();
  const { user } = useSession();
  return useMutation({
    mutationFn: (number: string) => {
      if (!user) throw new Error("sign in first");
      return updateTicket(number, { assigneeId: user.id });
    },
    onSuccess: (ticket) => {
      client.setQueryData(queryKeys.ticket(ticket.number), ticket);
      void client.invalidateQueries({ queryKey: queryKeys.ticket(ticket.number) });
      void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
    },
  });
}
