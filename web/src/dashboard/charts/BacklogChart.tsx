import { Bar, BarChart, CartesianGrid, Rectangle, ResponsiveContainer, Tooltip, XAxis, YAxis, type BarShapeProps } from "recharts";
import type { StatsOverview } from "../../api/stats.ts";
import { priorityLabels } from "../../lib/labels.ts";
import { ChartCard } from "../ChartCard.tsx";
import { NumbersTable } from "../NumbersTable.tsx";
import { chartDefaults, palette } from "../palette.ts";

type Row = StatsOverview["backlogByPriority"][number];

/** Tickets not yet resolved or closed, now, per priority. */
export function BacklogChart({ backlog }: { backlog: Row[] }) {
  const data = backlog.map((b) => ({ ...b, label: priorityLabels[b.priority] }));
  const total = backlog.reduce((n, b) => n + b.open, 0);
  return (
    <ChartCard
      title="Backlog by priority"
      summary={<p className="chart-summary">{total} tickets not yet resolved or closed, now.</p>}
      emptyText="Nothing is waiting: every ticket is resolved or closed."
      chart={
        total > 0 && (
          <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 400, height: 260 }}>
            <BarChart data={data} {...chartDefaults}>
              <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" stroke={palette.axis} />
              <YAxis allowDecimals={false} stroke={palette.axis} width={40} />
              <Tooltip />
              <Bar
                dataKey="open"
                name="Open tickets"
                isAnimationActive={false}
                shape={(props: BarShapeProps) => <Rectangle {...props} fill={palette.priority[backlog[props.index]?.priority ?? "medium"]} />}
              />
            </BarChart>
          </ResponsiveContainer>
        )
      }
      table={
        <NumbersTable<Row>
          caption="Tickets not resolved or closed, by priority"
          columns={[
            { header: "Priority", cell: (b) => priorityLabels[b.priority] },
            { header: "Open tickets", cell: (b) => b.open, isNumeric: true },
          ]}
          rows={backlog}
          rowKey={(b) => b.priority}
        />
      }
    />
  );
}
