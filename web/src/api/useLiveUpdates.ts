import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { queryKeys } from "./queryKeys.ts";
import { openTicketStream, type StreamStatus } from "./stream.ts";
import type { StreamFrame } from "./types.ts";

/**
 * Keeps cached tickets fresh from the stream while someone is signed in: a frame about a
 * ticket refetches that ticket's queries, and any ticket activity refetches the lists (once
 * per burst). Answers the connection's status for a "live" indicator.
 */
export function useLiveUpdates(isEnabled: boolean, onFrame?: (frame: StreamFrame) => void): StreamStatus {
  const client = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>("connecting");

  useEffect(() => {
    if (!isEnabled) return;
    let listTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshLists = () => {
      if (listTimer) return;
      listTimer = setTimeout(() => {
        listTimer = undefined;
        void client.invalidateQueries({ queryKey: queryKeys.ticketLists });
      }, 250);
    };
    const close = openTicketStream({
      onStatus: setStatus,
      onFrame: (frame) => {
        if (frame.type === "stream.ready") return;
        if (frame.type === "stream.resync") {
          void client.invalidateQueries();
          return;
        }
        if (frame.ticketNumber) void client.invalidateQueries({ queryKey: queryKeys.ticket(frame.ticketNumber) });
        refreshLists();
        onFrame?.(frame);
      },
      onReconnected: () => void client.invalidateQueries(),
      onRefused: () => void client.invalidateQueries({ queryKey: queryKeys.me }),
    });
    return () => {
      if (listTimer) clearTimeout(listTimer);
      close();
    };
  }, [client, isEnabled, onFrame]);

  return isEnabled ? status : "offline";
}
