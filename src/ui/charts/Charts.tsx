// Every metric chart of the run(s) in a grid, sharing the zoom range of the reward chart's brush.
import { Panel } from '../Panel';
import { CHARTS } from './defs';
import { MetricChart } from './MetricChart';
import { useStoreRuns, useZoom } from './zoom';
import type { ChartRun } from './series';

export interface ChartsProps {
  /** Runs to draw (SFT and RFT overlay); default: the store's current run. */
  runs?: readonly ChartRun[];
}

export function Charts({ runs }: ChartsProps) {
  const storeRuns = useStoreRuns();
  const shown = runs ?? storeRuns;
  const { range, setRange } = useZoom();
  const any = shown.some((r) => r.points.length > 0);
  return (
    <Panel
      title="Training signals"
      className="charts-panel"
      hint="What moves under the reward: each chart says what to look for."
      actions={
        range === null ? null : (
          <button type="button" onClick={() => setRange(null)}>
            Show all steps ({range.from}–{range.to} shown)
          </button>
        )
      }
    >
      {any ? (
        <div className="chart-grid" data-testid="metric-charts">
          {CHARTS.map((def) => (
            <MetricChart key={def.id} def={def} runs={shown} range={range} />
          ))}
        </div>
      ) : (
        <p className="empty">KL, entropy, lengths, clip fractions and timing appear here after the first step.</p>
      )}
    </Panel>
  );
}
