// The reward chart's drawing (recharts), and its rehearsal: the same drawing of made-up steps, in stages,
// hidden, once, while the page is idle before the first step. recharts' first drawings run code for the
// first time (parsed, compiled and optimised as it goes): measured in Chromium on the production build,
// 3–5× a later drawing of the same chart, and the reward chart's first data drawing was the page's longest
// task during training. Rehearsed, that cost is paid before a run starts, in tasks of its own.
import { memo, useEffect, useMemo, useState } from 'react';
import { Area, Brush, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { columnKey, primaryRun, rewardRows } from './defs';
import { brushIndices, drawnColumns, rangeFromBrush, type ChartRun, type Row, type StepRange } from './series';
import { fmt } from './MetricChart';
import { AXIS_TICKS, runDash, seriesColor, TOOLTIP_STYLE } from './palette';
import { useTurn } from './turns';

/** Plot height, px. */
export const REWARD_HEIGHT = 280;
/** Shown over the empty frame. */
export const EMPTY = 'No steps yet. The reward curve appears here as soon as the first step finishes.';

export interface RewardPlotProps {
  runs: readonly ChartRun[];
  rows: Row[];
  range: StepRange;
  setRange: (r: StepRange) => void;
  /** Remounts the chart on "show all steps", so the brush spans every step again. */
  resets: number;
}

/** The recharts drawing (memoised: a re-render of the panel with the same rows and range draws nothing). */
export const RewardPlot = memo(function RewardPlot({ runs, rows, range, setRange, resets }: RewardPlotProps) {
  const pi = primaryRun(runs);
  const columns = useMemo(() => drawnColumns(rows, runs.length, 2), [rows, runs.length]); // series 0: mean, 1: validation
  const overlay = new Set(columns.map((c) => c.r)).size > 1;
  // Zoomed: the brush shows the range. Not zoomed: no indices at all (recharts then spans all rows) —
  // recharts takes new rows a render after new indices, so an end index past its old rows drew the brush
  // at x = NaN while a run grew. "Show all" remounts the chart (key) so the brush spans every step again.
  const brush = range === null ? {} : brushIndices(rows, range);
  const frame = rows.length === 0;
  const byRun = new Set(runs.map((x) => x.kind)).size < runs.length;
  return (
    <div className="chart-frame">
      <ResponsiveContainer width="100%" height={REWARD_HEIGHT}>
        <ComposedChart key={resets} data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
          <XAxis
            dataKey="step"
            type="number"
            domain={frame ? [0, 1] : ['dataMin', 'dataMax']}
            allowDecimals={false}
            stroke="var(--muted)"
            {...AXIS_TICKS}
          />
          <YAxis domain={[0, 1]} stroke="var(--muted)" width={40} {...AXIS_TICKS} />
          <Tooltip contentStyle={TOOLTIP_STYLE} formatter={fmt} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {pi === -1 ? null : (
            <Area
              dataKey="minMax"
              name="min–max"
              stroke="none"
              fill="var(--accent)"
              fillOpacity={0.12}
              isAnimationActive={false}
              legendType="none"
            />
          )}
          {pi === -1 ? null : (
            <Area
              dataKey="std"
              name="±1 std"
              stroke="none"
              fill="var(--accent)"
              fillOpacity={0.25}
              isAnimationActive={false}
              legendType="none"
            />
          )}
          {columns.map(({ r, s }) => {
            const run = runs[r],
              what = s === 0 ? 'mean' : 'validation';
            // Runs of one kind overlaid get a colour each (validation dashed in it); else colour says SFT or RFT.
            const color = byRun
              ? seriesColor(r)
              : s === 1
                ? run.kind === 'sft'
                  ? 'var(--series-4)'
                  : 'var(--series-3)'
                : run.kind === 'sft'
                  ? 'var(--series-2)'
                  : 'var(--accent)';
            return (
              <Line
                key={`${s}${run.id}`}
                dataKey={columnKey(r, s)}
                name={overlay ? `${run.label} · ${what}` : what}
                stroke={color}
                strokeDasharray={s === 1 ? '5 4' : runDash(r)}
                strokeWidth={2}
                dot={s === 1 || rows.length <= 2 ? { r: 3 } : false}
                activeDot={false}
                connectNulls
                isAnimationActive={false}
              />
            );
          })}
          {rows.length > 2 ? (
            <Brush
              dataKey="step"
              height={22}
              stroke="var(--muted)"
              fill="var(--surface-2)"
              {...brush}
              onDragEnd={(e) => setRange(rangeFromBrush(rows, e.startIndex, e.endIndex))}
            />
          ) : null}
        </ComposedChart>
      </ResponsiveContainer>
      {frame ? <p className="empty chart-frame-note">{EMPTY}</p> : null}
    </div>
  );
});

/** Made-up runs of the rehearsal, one per stage: two steps of mean reward (lines and dots), then three with bands and validation (areas and the brush). */
const REHEARSAL: readonly { runs: readonly ChartRun[]; rows: Row[] }[] = [
  [0, 1].map((step) => ({ step, reward_mean: 0.4 + 0.1 * step })),
  [0, 1, 2].map((step) => ({
    step,
    reward_mean: 0.4 + 0.1 * step,
    reward_std: 0.2,
    reward_min: 0,
    reward_max: 1,
    ...(step === 2 ? { eval_reward_mean: 0.5 } : {}),
  })),
].map((points) => {
  const runs: ChartRun[] = [{ id: 'rehearsal', label: 'RFT', kind: 'rft', points }];
  return { runs, rows: rewardRows(runs) };
});
const noRange = (): void => undefined;

/**
 * The hidden rehearsal (invisible, out of the accessibility tree), rendered while the reward chart shows
 * its empty frame: it draws the reward chart with made-up steps in stages, one turn each (the chart with
 * lines, then bands, validation and the brush), so no single task runs much cold code; then it is gone.
 */
export function Rehearsal() {
  const [wanted, setWanted] = useState(0);
  const drawn = useTurn(wanted);
  useEffect(() => {
    if (drawn !== null && drawn === wanted && wanted < REHEARSAL.length) setWanted(wanted + 1);
  }, [drawn, wanted]);
  const stage = drawn === null ? undefined : REHEARSAL[drawn];
  if (stage === undefined) return null;
  return (
    <div className="chart-rehearsal" aria-hidden="true">
      <RewardPlot runs={stage.runs} rows={stage.rows} range={null} setRange={noRange} resets={0} />
    </div>
  );
}
