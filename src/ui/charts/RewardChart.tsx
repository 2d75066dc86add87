// Reward per step: each run's mean as a line (validation reward dashed where evaluated), and for the
// main run min–max as a light band and mean ± std as a darker one. The brush below zooms every chart.
// Before the first step the chart's empty frame is drawn once the page is idle, then a hidden rehearsal
// (charts/RewardPlot.tsx): recharts' first drawings compile its code (3–5× the cost of a later one), and
// this way they happen before any run, in tasks of their own, not in the middle of training. New steps
// are drawn in this chart's turn (charts/turns.ts: one chart per task).
import { useMemo, useRef, useState } from 'react';
import { Panel } from '../Panel';
import { rewardPointCount, rewardRows } from './defs';
import { thinRows, type ChartRun } from './series';
import { useStoreRuns, useZoom } from './zoom';
import { downloadChartPng } from './png';
import { useTurn } from './turns';
import { useIdle } from './pace';
import { EMPTY, REWARD_HEIGHT, RewardPlot, Rehearsal } from './RewardPlot';

export interface RewardChartProps {
  /** Runs to draw (an SFT and an RFT run overlay); default: the store's current run. */
  runs?: readonly ChartRun[];
}

const NO_RUNS: readonly ChartRun[] = [];

export function RewardChart({ runs }: RewardChartProps) {
  const storeRuns = useStoreRuns();
  const shown = runs ?? storeRuns;
  const { range, setRange, resets } = useZoom();
  const idle = useIdle();
  const drawnRuns = useTurn(shown, idle || shown.some((r) => r.points.length > 0));
  const drawn = drawnRuns ?? NO_RUNS;
  const rows = useMemo(() => thinRows(rewardRows(drawn)), [drawn]); // drawn rows (series.ts thinRows)
  const chartRef = useRef<HTMLDivElement>(null);
  const [pngError, setPngError] = useState<string | null>(null);
  const savePng = (): void => {
    if (chartRef.current === null) return;
    setPngError(null);
    downloadChartPng(chartRef.current, 'Reward').catch((e: unknown) => setPngError(`PNG: ${e instanceof Error ? e.message : String(e)}`));
  };
  const actions = (
    <button
      type="button"
      className="small"
      data-testid="reward-png"
      disabled={rows.length === 0}
      onClick={savePng}
      title="Download this chart as a PNG image (2× its size on screen)"
    >
      PNG
    </button>
  );
  const empty = <p className="empty">{EMPTY}</p>;
  return (
    <Panel
      title="Reward"
      className="chart-panel"
      actions={actions}
      hint="Mean reward of each step’s completions; bands show the spread (min–max, ±1 std). It should climb; if it is flat at 0 or 1, see Diagnostics."
    >
      {pngError === null ? null : (
        <p className="notice" role="alert" data-testid="reward-png-error">
          {pngError}
        </p>
      )}
      <div className="chart" ref={chartRef} data-testid="reward-chart" data-points={rewardPointCount(drawn)}>
        {drawnRuns === null ? (
          shown.some((r) => r.points.length > 0) ? (
            <div style={{ height: REWARD_HEIGHT }} />
          ) : (
            empty
          )
        ) : (
          <RewardPlot runs={drawn} rows={rows} range={range} setRange={setRange} resets={resets} />
        )}
        {drawnRuns !== null && rows.length === 0 ? <Rehearsal /> : null}
      </div>
    </Panel>
  );
}
