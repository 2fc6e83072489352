import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DurationStats } from "../../api/stats.ts";
import { ChartCard } from "../ChartCard.tsx";
import { formatMinutes } from "../format.ts";
import { NumbersTable } from "../NumbersTable.tsx";
import { chartDefaults, palette } from "../palette.ts";

type Bucket = DurationStats["buckets"][number];

/** How long something took, as a histogram, with the median and 90th percentile said in words. */
export function DurationChart({ title, what, stats }: { title: string; what: string; stats: DurationStats }) {
  return (
    <ChartCard
      title={title}
      summary={
        <dl className="chart-figures">
          <div>
            <dt>Tickets</dt>
            <dd>{stats.count}</dd>
          </div>
          <div>
            <dt>Median</dt>
            <dd>{formatMinutes(stats.medianMinutes)}</dd>
          </div>
          <div>
            <dt>90th percentile</dt>
            <dd>{formatMinutes(stats.p90Minutes)}</dd>
          </div>
        </dl>
      }
      emptyText={`No ${what} in this range.`}
      chart={
        stats.count > 0 && (
          <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 400, height: 260 }}>
            <BarChart data={stats.buckets} {...chartDefaults}>
              <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" stroke={palette.axis} interval={0} fontSize={12} />
              <YAxis allowDecimals={false} stroke={palette.axis} width={40} />
              <Tooltip />
              <Bar dataKey="count" name="Tickets" fill={palette.bar} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        )
      }
      table={
        <NumbersTable<Bucket>
          caption={`${title}: tickets per time taken (median ${formatMinutes(stats.medianMinutes)}, 90th percentile ${formatMinutes(stats.p90Minutes)})`}
          columns={[
            { header: "Time taken", cell: (b) => b.label },
            { header: "Tickets", cell: (b) => b.count, isNumeric: true },
          ]}
          rows={stats.buckets}
          rowKey={(b) => b.label}
          footer={{ label: "Total", count: stats.count }}
        />
      }
    />
  );
}
