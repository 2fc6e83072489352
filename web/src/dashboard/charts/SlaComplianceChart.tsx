import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SlaStats } from "../../api/stats.ts";
import { ChartCard } from "../ChartCard.tsx";
import { formatPercent } from "../format.ts";
import { NumbersTable } from "../NumbersTable.tsx";
import { chartDefaults, palette } from "../palette.ts";

const metricLabels: Record<string, string> = { first_response: "First response", next_response: "Next response", resolution: "Resolution" };
const metricOrder = Object.keys(metricLabels);

type MetricRow = { metric: string; label: string; total: number; metInTime: number; breached: number; pending: number; compliance: number | null };

/** Adds up the per-priority rows of each metric; compliance counts decided clocks only, like the server. */
export function complianceByMetric(items: SlaStats["items"]): MetricRow[] {
  const by = new Map<string, MetricRow>();
  for (const i of items) {
    const row = by.get(i.metric) ?? { metric: i.metric, label: metricLabels[i.metric] ?? i.metric, total: 0, metInTime: 0, breached: 0, pending: 0, compliance: null };
    row.total += i.total;
    row.metInTime += i.metInTime;
    row.breached += i.breached;
    row.pending += i.pending;
    by.set(i.metric, row);
  }
  const rank = (m: string) => (metricOrder.includes(m) ? metricOrder.indexOf(m) : metricOrder.length);
  return [...by.values()]
    .map((r) => {
      const decided = r.metInTime + r.breached;
      return { ...r, compliance: decided ? Math.round((r.metInTime / decided) * 1000) / 10 : null };
    })
    .sort((a, b) => rank(a.metric) - rank(b.metric));
}

/** The share of decided SLA clocks met in time, per metric, for tickets created in the range. */
export function SlaComplianceChart({ items }: { items: SlaStats["items"] }) {
  const rows = complianceByMetric(items);
  const decided = rows.filter((r) => r.compliance !== null);
  return (
    <ChartCard
      title="SLA compliance"
      summary={<p className="chart-summary">Share of targets met in time, for tickets created in this range (targets still running are not counted).</p>}
      emptyText="No SLA target has been met or breached yet for tickets created in this range."
      chart={
        decided.length > 0 && (
          <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 400, height: 260 }}>
            <BarChart data={decided} {...chartDefaults} margin={{ ...chartDefaults.margin, top: 20 }}>
              <CartesianGrid stroke={palette.grid} strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" stroke={palette.axis} />
              <YAxis domain={[0, 100]} unit="%" stroke={palette.axis} width={48} />
              <Tooltip formatter={(value) => `${String(value)}%`} />
              <Bar dataKey="compliance" name="Met in time" fill={palette.compliance} isAnimationActive={false}>
                <LabelList dataKey="compliance" position="top" formatter={(value) => `${String(value)}%`} />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        )
      }
      table={
        <NumbersTable<MetricRow>
          caption="SLA targets per metric, for tickets created in this range"
          columns={[
            { header: "Metric", cell: (r) => r.label },
            { header: "Met in time", cell: (r) => r.metInTime, isNumeric: true },
            { header: "Breached", cell: (r) => r.breached, isNumeric: true },
            { header: "Still running", cell: (r) => r.pending, isNumeric: true },
            { header: "Compliance", cell: (r) => formatPercent(r.compliance), isNumeric: true },
          ]}
          rows={rows}
          rowKey={(r) => r.metric}
        />
      }
    />
  );
}
