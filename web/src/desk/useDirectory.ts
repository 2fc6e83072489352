import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { listStaff, listTeams } from "../api/people.ts";
import { queryKeys } from "../api/queryKeys.ts";
import type { Names } from "../lib/describeEvent.ts";

/** Agents and teams, for the assignee and team pickers and for naming ids in history. */
export function useDirectory() {
  const staff = useQuery({ queryKey: queryKeys.staff, queryFn: ({ signal }) => listStaff(signal), staleTime: 5 * 60_000 });
  const teams = useQuery({ queryKey: queryKeys.teams, queryFn: ({ signal }) => listTeams(signal), staleTime: 5 * 60_000 });
  const names = useMemo<Names>(() => {
    const people = new Map((staff.data ?? []).map((u) => [u.id, u.name]));
    const teamNames = new Map((teams.data ?? []).map((t) => [t.id, t.name]));
    return { person: (id) => people.get(id), team: (id) => teamNames.get(id) };
  }, [staff.data, teams.data]);
  return { staff: staff.data ?? [], teams: teams.data ?? [], names, error: staff.error ?? teams.error };
}
