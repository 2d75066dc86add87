// Reward per step: the mean as a line, min–max as a light band, mean ± std as a darker band.
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Panel } from './Panel';
import { useUi, type MetricPoint } from './store';
import { METRIC } from './metricKeys';

function num(p: MetricPoint, key: string): number | null {
  const v = p[key];
  return typeof v === 'number' ? v : null;
}

/** Range values [low, high] for recharts' band areas; null where the step lacks them. */
function band(low: (p: MetricPoint) => number | null, high: (p: MetricPoint) => number | null) {
  return (p: MetricPoint): [number, number] | null => {
    const a = low(p), b = high(p);
    return a === null || b === null ? null : [a, b];
  };
}

const minMax = band((p) => num(p, METRIC.rewardMin), (p) => num(p, METRIC.rewardMax));
const stdBand = band(
  (p) => { const m = num(p, METRIC.rewardMean), s = num(p, METRIC.rewardStd); return m === null || s === null ? null : m - s; },
  (p) => { const m = num(p, METRIC.rewardMean), s = num(p, METRIC.rewardStd); return m === null || s === null ? null : m + s; },
);

export function RewardChart() {
  const metrics = useUi((s) => s.metrics);
  return (
    <Panel title="Reward" className="chart-panel" hint="Mean reward of each step's completions; bands show the spread (min–max, ±1 std).">
      <div className="chart" data-testid="reward-chart" data-points={metrics.length}>
        {metrics.length === 0 ? (
          <p className="empty">No steps yet. The reward curve appears here as soon as the first step finishes.</p>
        ) : (
          <ResponsiveContainer width="100%" height={260}>
            <ComposedChart data={[...metrics].sort((a, b) => a.step - b.step)} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
              <XAxis dataKey="step" stroke="var(--muted)" />
              <YAxis domain={[0, 1]} stroke="var(--muted)" />
              <Tooltip contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)' }} />
              <Area dataKey={minMax} name="min–max" stroke="none" fill="var(--accent)" fillOpacity={0.12} isAnimationActive={false} />
              <Area dataKey={stdBand} name="±1 std" stroke="none" fill="var(--accent)" fillOpacity={0.25} isAnimationActive={false} />
              <Line dataKey={METRIC.rewardMean} name="mean" stroke="var(--accent)" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </div>
    </Panel>
  );
}
