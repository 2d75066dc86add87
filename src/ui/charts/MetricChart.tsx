// One small chart of a metric: a line per (run, series), or stacked areas for parts of a whole, with the
// sentence that says what to look for. Draws nothing when no run reports the metric.
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartDef } from './defs';
import { runsFor } from './defs';
import { columnKey, drawnColumns, inRange, thinRows, toRows, type ChartRun, type Row, type Series, type StepRange } from './series';
import { memo, useMemo, useRef, useState } from 'react';
import { downloadChartPng } from './png';
import { useHeldWhile, useInView } from './pace';
import { useTurn } from './turns';
import { LEGEND_HEIGHT, SeriesLegend, type LegendItem } from './SeriesLegend';
import { AXIS_TICKS, runDash, seriesColor, TOOLTIP_STYLE } from './palette';

export interface MetricChartProps {
  def: ChartDef;
  /** Runs to overlay (those of a kind the chart does not draw are skipped). */
  runs: readonly ChartRun[];
  /** Steps to show; null for all. */
  range: StepRange;
}

/** Plot height, px (kept by the placeholder of a chart off screen). */
const HEIGHT = 170;

export function MetricChart({ def, runs, range }: MetricChartProps) {
  const data = useMemo(() => chartData(def, runs), [def, runs]);
  if (data.columns.length === 0) return null;
  return <LazyFigure def={def} data={data} range={range} />;
}

interface ChartData {
  drawn: ChartRun[];
  series: readonly Series[];
  /** Rows of every step (before the zoom range). */
  all: Row[];
  columns: { r: number; s: number }[];
}

function chartData(def: ChartDef, runs: readonly ChartRun[]): ChartData {
  const drawn = runsFor(def, runs);
  const series = def.series(drawn.flatMap((r) => r.points));
  const all = toRows(drawn, series);
  return { drawn, series, all, columns: drawnColumns(all, drawn.length, series.length) };
}

/**
 * The figure; off screen it keeps what it drew (or a placeholder) and skips redraws until scrolled near.
 * New data is drawn in this chart's turn (turns.ts: one chart per task); a new zoom range, which a
 * person has just asked for, at once.
 */
function LazyFigure({ def, data, range }: { def: ChartDef; data: ChartData; range: StepRange }) {
  const ref = useRef<HTMLElement>(null);
  const near = useInView(ref);
  const shown = useTurn(data, near);
  const shownRange = useHeldWhile(range, near);
  const rows = useMemo(() => (shown === null ? [] : thinRows(inRange(shown.all, shownRange))), [shown, shownRange]);
  const [pngError, setPngError] = useState<string | null>(null);
  const savePng = (): void => {
    if (ref.current === null) return;
    setPngError(null);
    downloadChartPng(ref.current, def.title).catch((e: unknown) => setPngError(`PNG: ${e instanceof Error ? e.message : String(e)}`));
  };
  return (
    <figure className="metric-chart" data-chart={def.id} ref={ref}>
      <figcaption>
        <strong>{def.title}</strong> <span className="hint">{def.explain}</span>{' '}
        <button
          type="button"
          className="small"
          data-testid="chart-png"
          disabled={shown === null}
          onClick={savePng}
          title="Download this chart as a PNG image (2× its size on screen)"
        >
          PNG
        </button>
      </figcaption>
      {pngError === null ? null : (
        <p className="notice" role="alert">
          {pngError}
        </p>
      )}
      {shown === null ? (
        <div style={{ height: HEIGHT }} />
      ) : (
        <Plot def={def} drawn={shown.drawn} series={shown.series} columns={shown.columns} rows={rows} />
      )}
    </figure>
  );
}

interface PlotProps {
  def: ChartDef;
  drawn: readonly ChartRun[];
  series: readonly Series[];
  columns: readonly { r: number; s: number }[];
  rows: readonly Row[];
}

/** The recharts drawing, redrawn only when its rows change; its legend is plain HTML (SeriesLegend.tsx). */
const Plot = memo(function Plot({ def, drawn, series, columns, rows }: PlotProps) {
  const overlay = new Set(columns.map((c) => c.r)).size > 1;
  const cols = columns.map(({ r, s: i }): { r: number; item: LegendItem } => ({
    r,
    item: {
      key: columnKey(r, i),
      name: overlay ? `${drawn[r].label} · ${series[i].name}` : series[i].name,
      color: seriesColor(i),
      dash: runDash(r),
    },
  }));
  const legend = cols.length > 1;
  return (
    <>
      <ResponsiveContainer width="100%" height={HEIGHT - (legend ? LEGEND_HEIGHT : 0)}>
        <ComposedChart data={[...rows]} margin={{ top: 6, right: 12, bottom: 0, left: -8 }}>
          <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
          <XAxis
            dataKey="step"
            type="number"
            domain={['dataMin', 'dataMax']}
            allowDecimals={false}
            stroke="var(--muted)"
            fontSize={11}
            {...AXIS_TICKS}
          />
          <YAxis
            domain={def.domain ?? ['auto', 'auto']}
            stroke="var(--muted)"
            fontSize={11}
            width={50}
            tickFormatter={fmt}
            {...AXIS_TICKS}
          />
          <Tooltip contentStyle={TOOLTIP_STYLE} formatter={fmt} />
          {cols.map(({ r, item: { key, name, color, dash } }) =>
            def.stacked ? (
              <Area
                key={key}
                dataKey={key}
                name={name}
                stackId={`run${r}`}
                stroke={color}
                fill={color}
                fillOpacity={0.35}
                strokeDasharray={dash}
                isAnimationActive={false}
              />
            ) : (
              <Line
                key={key}
                dataKey={key}
                name={name}
                stroke={color}
                strokeDasharray={dash}
                strokeWidth={1.8}
                dot={rows.length <= 2 ? { r: 2 } : false}
                activeDot={false}
                connectNulls
                isAnimationActive={false}
              />
            ),
          )}
        </ComposedChart>
      </ResponsiveContainer>
      {legend ? <SeriesLegend items={cols.map((c) => c.item)} /> : null}
    </>
  );
});

/** Tooltip numbers: 3 significant digits. */
export function fmt(v: unknown): string {
  return typeof v === 'number' ? (Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(3)).toString()) : String(v);
}
