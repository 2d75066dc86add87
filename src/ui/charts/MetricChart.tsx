// One small chart of a metric: a line per (run, series), or stacked areas for parts of a whole, with the
// sentence that says what to look for. Draws nothing when no run reports the metric.
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartDef } from './defs';
import { runsFor } from './defs';
import { columnKey, drawnColumns, inRange, toRows, type ChartRun, type StepRange } from './series';
import { runDash, seriesColor, TOOLTIP_STYLE } from './palette';

export interface MetricChartProps {
  def: ChartDef;
  /** Runs to overlay (those of a kind the chart does not draw are skipped). */
  runs: readonly ChartRun[];
  /** Steps to show; null for all. */
  range: StepRange;
}

export function MetricChart({ def, runs, range }: MetricChartProps) {
  const drawn = runsFor(def, runs);
  const series = def.series(drawn.flatMap((r) => r.points));
  const all = toRows(drawn, series);
  const columns = drawnColumns(all, drawn.length, series.length);
  if (columns.length === 0) return null;
  const rows = inRange(all, range);
  const overlay = new Set(columns.map((c) => c.r)).size > 1;
  return (
    <figure className="metric-chart" data-chart={def.id}>
      <figcaption><strong>{def.title}</strong> <span className="hint">{def.explain}</span></figcaption>
      <ResponsiveContainer width="100%" height={170}>
        <ComposedChart data={rows} margin={{ top: 6, right: 12, bottom: 0, left: -8 }}>
          <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} stroke="var(--muted)" fontSize={11} />
          <YAxis domain={def.domain ?? ['auto', 'auto']} stroke="var(--muted)" fontSize={11} width={50} tickFormatter={fmt} />
          <Tooltip contentStyle={TOOLTIP_STYLE} formatter={fmt} />
          {columns.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
          {columns.map(({ r, s: i }) => {
            const run = drawn[r], s = series[i];
            const key = columnKey(r, i), name = overlay ? `${run.label} · ${s.name}` : s.name;
            return def.stacked
              ? <Area key={key} dataKey={key} name={name} stackId={`run${r}`} stroke={seriesColor(i)} fill={seriesColor(i)} fillOpacity={0.35} strokeDasharray={runDash(r)} isAnimationActive={false} />
              : <Line key={key} dataKey={key} name={name} stroke={seriesColor(i)} strokeDasharray={runDash(r)} strokeWidth={1.8} dot={rows.length < 30 ? { r: 2 } : false} connectNulls isAnimationActive={false} />;
          })}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Tooltip numbers: 3 significant digits. */
export function fmt(v: unknown): string {
  return typeof v === 'number' ? (Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(3)).toString()) : String(v);
}
