// Reward per step: each run's mean as a line (validation reward dashed where evaluated), and for the
// main run min–max as a light band and mean ± std as a darker one. The brush below zooms every chart.
import { useMemo, useRef, useState } from 'react';
import { Area, Brush, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Panel } from './Panel';
import { columnKey, primaryRun, rewardPointCount, rewardRows } from './charts/defs';
import { brushIndices, drawnColumns, rangeFromBrush, type ChartRun } from './charts/series';
import { useStoreRuns, useZoom } from './charts/zoom';
import { fmt } from './charts/MetricChart';
import { runDash, TOOLTIP_STYLE } from './charts/palette';
import { downloadChartPng } from './charts/png';

export interface RewardChartProps {
  /** Runs to draw (an SFT and an RFT run overlay); default: the store's current run. */
  runs?: readonly ChartRun[];
}

export function RewardChart({ runs }: RewardChartProps) {
  const storeRuns = useStoreRuns();
  const shown = runs ?? storeRuns;
  const { range, setRange, resets } = useZoom();
  const rows = useMemo(() => rewardRows(shown), [shown]);
  const pi = primaryRun(shown);
  const columns = useMemo(() => drawnColumns(rows, shown.length, 2), [rows, shown.length]); // series 0: mean, 1: validation
  const overlay = new Set(columns.map((c) => c.r)).size > 1;
  // Zoomed: the brush shows the range. Not zoomed: no indices at all (recharts then spans all rows) —
  // recharts takes new rows a render after new indices, so an end index past its old rows drew the brush
  // at x = NaN while a run grew. "Show all" remounts the chart (key) so the brush spans every step again.
  const brush = range === null ? {} : brushIndices(rows, range);
  const chartRef = useRef<HTMLDivElement>(null);
  const [pngError, setPngError] = useState<string | null>(null);
  const savePng = (): void => {
    if (chartRef.current === null) return;
    setPngError(null);
    downloadChartPng(chartRef.current, 'Reward').catch((e: unknown) => setPngError(`PNG: ${e instanceof Error ? e.message : String(e)}`));
  };
  const actions = (
    <button type="button" className="small" data-testid="reward-png" disabled={rows.length === 0} onClick={savePng}
      title="Download this chart as a PNG image (2× its size on screen)">PNG</button>
  );
  return (
    <Panel title="Reward" className="chart-panel" actions={actions}
      hint="Mean reward of each step’s completions; bands show the spread (min–max, ±1 std). It should climb; if it is flat at 0 or 1, see Diagnostics.">
      {pngError === null ? null : <p className="notice" role="alert" data-testid="reward-png-error">{pngError}</p>}
      <div className="chart" ref={chartRef} data-testid="reward-chart" data-points={rewardPointCount(shown)}>
        {rows.length === 0 ? (
          <p className="empty">No steps yet. The reward curve appears here as soon as the first step finishes.</p>
        ) : (
          <ResponsiveContainer width="100%" height={280}>
            <ComposedChart key={resets} data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
              <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} stroke="var(--muted)" />
              <YAxis domain={[0, 1]} stroke="var(--muted)" width={40} />
              <Tooltip contentStyle={TOOLTIP_STYLE} formatter={fmt} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {pi === -1 ? null : <Area dataKey="minMax" name="min–max" stroke="none" fill="var(--accent)" fillOpacity={0.12} isAnimationActive={false} legendType="none" />}
              {pi === -1 ? null : <Area dataKey="std" name="±1 std" stroke="none" fill="var(--accent)" fillOpacity={0.25} isAnimationActive={false} legendType="none" />}
              {columns.map(({ r, s }) => {
                const run = shown[r], what = s === 0 ? 'mean' : 'validation';
                const color = s === 1 ? (run.kind === 'sft' ? 'var(--series-4)' : 'var(--series-3)') : run.kind === 'sft' ? 'var(--series-2)' : 'var(--accent)';
                return (
                  <Line key={`${s}${run.id}`} dataKey={columnKey(r, s)} name={overlay ? `${run.label} · ${what}` : what}
                    stroke={color} strokeDasharray={s === 1 ? '5 4' : runDash(r)} strokeWidth={2}
                    dot={s === 1 || rows.length <= 2 ? { r: 3 } : false} activeDot={false} connectNulls isAnimationActive={false} />
                );
              })}
              {rows.length > 2 ? (
                <Brush dataKey="step" height={22} stroke="var(--muted)" fill="var(--surface-2)" {...brush}
                  onDragEnd={(e) => setRange(rangeFromBrush(rows, e.startIndex, e.endIndex))} />
              ) : null}
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </div>
    </Panel>
  );
}
