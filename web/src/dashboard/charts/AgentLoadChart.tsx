import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { StatsOverview } from "../../api/stats.ts";
import { ChartCard } from "../ChartCard.tsx";
import { NumbersTable } from "../NumbersTable.tsx";
import { chartDefaults, palette } from "../palette.ts";

type Agent = StatsOverview["agentLoad"][number];

/** What each agent holds now, stacked by status, and what they resolved in the range. */
export function AgentLoadChart({ agents }: { agents: Agent[] }) {
  const holding = agents.filter((a) => a.open + a.inProgress + a.waitingOnCustomer > 0);
  // One row per agent: the chart grows with the team instead of squeezing the bars.
  const rowsClass = `chart-rows-${Math.min(Math.max(holding.length, 2), 12)}`;
  return (
    <ChartCard
      title="Load per agent"
      summary={<p className="chart-summary">Tickets assigned to each agent now, by status.</p>}
      emptyText="No open tickets are assigned to anyone."
      chartClass={rowsClass}
      chart={
        holding.length > 0 && (
          <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 260 }}>
            <BarChart data={holding} layout="vertical" {...chartDefaults}>
              <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} stroke={palette.axis} />
              <YAxis type="category" dataKey="name" stroke={palette.axis} width={140} />
              <Tooltip />
              <Legend itemSorter={null} />
              <Bar dataKey="open" name="Open" stackId="load" fill={palette.open} isAnimationActive={false} />
              <Bar dataKey="inProgress" name="In progress" stackId="load" fill={palette.inProgress} isAnimationActive={false} />
              <Bar dataKey="waitingOnCustomer" name="Waiting on customer" stackId="load" fill={palette.waitingOnCustomer} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )
      }
      table={
        <NumbersTable<Agent>
          caption="Tickets per agent: assigned now by status, and resolved in this range"
          columns={[
            { header: "Agent", cell: (a) => a.name },
            { header: "Open", cell: (a) => a.open, isNumeric: true },
            { header: "In progress", cell: (a) => a.inProgress, isNumeric: true },
            { header: "Waiting on customer", cell: (a) => a.waitingOnCustomer, isNumeric: true },
            { header: "Resolved in range", cell: (a) => a.resolvedInRange, isNumeric: true },
          ]}
          rows={agents}
          rowKey={(a) => a.agentId}
        />
      }
    />
  );
}
