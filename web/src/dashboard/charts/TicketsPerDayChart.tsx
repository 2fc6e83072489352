import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { StatsOverview } from "../../api/stats.ts";
import { ChartCard } from "../ChartCard.tsx";
import { formatDay } from "../format.ts";
import { NumbersTable } from "../NumbersTable.tsx";
import { chartDefaults, palette } from "../palette.ts";

type Day = StatsOverview["perDay"][number];

/** Tickets created and first resolved on each day of the range. */
export function TicketsPerDayChart({ perDay }: { perDay: Day[] }) {
  const data = perDay.map((d) => ({ ...d, label: formatDay(d.day) }));
  const total = perDay.reduce((t, d) => ({ day: "Total", created: t.created + d.created, resolved: t.resolved + d.resolved }), { day: "Total", created: 0, resolved: 0 });
  const hasAny = total.created + total.resolved > 0;
  const isDense = data.length > 31;
  return (
    <ChartCard
      title="Tickets created and resolved per day"
      summary={<p className="chart-summary">{total.created} created, {total.resolved} resolved in this range.</p>}
      emptyText="No tickets were created or resolved in this range."
      chart={
        hasAny && (
          <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 600, height: 260 }}>
            <LineChart data={data} {...chartDefaults}>
              <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" />
              <XAxis dataKey="label" stroke={palette.axis} minTickGap={16} />
              <YAxis allowDecimals={false} stroke={palette.axis} width={40} />
              <Tooltip />
              <Legend itemSorter={null} />
              <Line type="monotone" dataKey="created" name="Created" stroke={palette.created} strokeWidth={2} dot={!isDense} isAnimationActive={false} />
              <Line type="monotone" dataKey="resolved" name="Resolved" stroke={palette.resolved} strokeWidth={2} strokeDasharray="6 3" dot={!isDense} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        )
      }
      table={
        <NumbersTable<Day>
          caption="Tickets created and first resolved per day (UTC)"
          columns={[
            { header: "Day", cell: (d) => (d.day === "Total" ? "Total" : <time dateTime={d.day}>{formatDay(d.day)}</time>) },
            { header: "Created", cell: (d) => d.created, isNumeric: true },
            { header: "Resolved", cell: (d) => d.resolved, isNumeric: true },
          ]}
          rows={perDay}
          rowKey={(d) => d.day}
          footer={total}
        />
      }
    />
  );
}
