import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useSearchParams } from "react-router";
import { getSlaStats, getStatsOverview, lastDays, statsKeys } from "../api/stats.ts";
import { ErrorMessage } from "../components/ErrorMessage.tsx";
import { Loading } from "../components/Loading.tsx";
import { AgentLoadChart } from "./charts/AgentLoadChart.tsx";
import { BacklogChart } from "./charts/BacklogChart.tsx";
import { DurationChart } from "./charts/DurationChart.tsx";
import { SlaComplianceChart } from "./charts/SlaComplianceChart.tsx";
import { TicketsPerDayChart } from "./charts/TicketsPerDayChart.tsx";
import { rangeChoices, RangePicker, type RangeDays } from "./RangePicker.tsx";
import "../styles/dashboard.css";

const defaultDays: RangeDays = 30;
const readDays = (value: string | null): RangeDays => rangeChoices.find((d) => String(d) === value) ?? defaultDays;

/** The desk's dashboard: the queue's flow, backlog, SLA, response times and load, each chart with its numbers. */
export function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const days = readDays(params.get("days"));
  // Recomputed per render but equal all day long, so the query keys stay put.
  const range = useMemo(() => lastDays(days), [days]);
  const overview = useQuery({ queryKey: statsKeys.overview(range), queryFn: ({ signal }) => getStatsOverview(range, signal), staleTime: 60_000 });
  const sla = useQuery({ queryKey: statsKeys.sla(range), queryFn: ({ signal }) => getSlaStats(range, signal), staleTime: 60_000 });

  return (
    <main id="main" className="dashboard">
      <div className="page-head">
        <h1>Dashboard</h1>
        <RangePicker days={days} onChange={(d) => setParams(d === defaultDays ? {} : { days: String(d) })} />
      </div>
      <p className="muted dashboard-note">Days are UTC days. Backlog and load are as of now; everything else covers the last {days} days.</p>
      {overview.isPending && <Loading label="Loading the dashboard…" />}
      {overview.isError && <ErrorMessage error={overview.error} title="The dashboard could not be loaded" />}
      {overview.data && (
        <div className="chart-grid">
          <TicketsPerDayChart perDay={overview.data.perDay} />
          <BacklogChart backlog={overview.data.backlogByPriority} />
          {sla.isPending && <Loading label="Loading SLA compliance…" />}
          {sla.isError && <ErrorMessage error={sla.error} title="SLA compliance could not be loaded" />}
          {sla.data && <SlaComplianceChart items={sla.data.items} />}
          <DurationChart title="Time to first response" what="first responses" stats={overview.data.firstResponse} />
          <DurationChart title="Time to resolution" what="resolutions" stats={overview.data.resolution} />
          <AgentLoadChart agents={overview.data.agentLoad} />
        </div>
      )}
    </main>
  );
}
