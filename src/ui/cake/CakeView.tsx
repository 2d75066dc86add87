// The cake view for the arithmetic lesson: the same task trained by SFT and by RFT from the same start,
// on one chart, with the SFT labels' accuracy as a horizontal line. SFT can only climb to that line;
// RFT, scored by a grader instead of copying labels, can pass it.
import { memo } from 'react';
import { CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Panel } from '../Panel';
import { read } from '../charts/keys';
import { columnKey, thinRows, toRows, type ChartRun } from '../charts/series';
import { cakeVerdict, runEnds } from '../charts/cake';
import { fmt } from '../charts/MetricChart';
import { AXIS_TICKS, TOOLTIP_STYLE } from '../charts/palette';

export interface CakeViewProps {
  /** The SFT run (null before it exists). */
  sft: ChartRun | null;
  /** The RFT run from the same starting model (null before it exists). */
  rft: ChartRun | null;
  /** Fraction of the SFT labels that are right (arithmeticLabelAccuracy(train).overall). */
  labelAccuracy: number;
}

/** Validation accuracy where evaluated, else the training reward. */
const accuracy = { name: 'accuracy', read: (p: Parameters<typeof read.validation>[0]) => read.validation(p) ?? read.rewardMean(p) };

/** Memoised: the page re-renders it with the same runs between their turns to draw. */
export const CakeView = memo(function CakeView({ sft, rft, labelAccuracy }: CakeViewProps) {
  const runs = [sft, rft].filter((r): r is ChartRun => r !== null);
  const rows = thinRows(toRows(runs, [accuracy]));
  const sEnds = runEnds(sft),
    rEnds = runEnds(rft);
  return (
    <Panel title="The cake: SFT vs RFT" className="cake-panel" hint="Pretraining is the cake, SFT the frosting, RL the cherry.">
      <div className="cake" data-testid="cake-view">
        <p className="cake-lesson">
          SFT copies its labels, so it can only become as good as they are: here {Math.round(labelAccuracy * 100)}% of them are right (one
          class of sums drops its carry). RFT lets the model try and a grader checks each answer, so from the same start it can climb past
          the labels’ ceiling — but only because the SFT model already gets some of those sums right.
        </p>
        {rows.length === 0 ? (
          <p className="empty">No runs yet: train the arithmetic task with algo sft, then with grpo from the same model.</p>
        ) : (
          <ResponsiveContainer width="100%" height={260}>
            <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
              <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} stroke="var(--muted)" {...AXIS_TICKS} />
              <YAxis domain={[0, 1]} stroke="var(--muted)" width={40} {...AXIS_TICKS} />
              <Tooltip contentStyle={TOOLTIP_STYLE} formatter={fmt} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <ReferenceLine
                y={labelAccuracy}
                stroke="var(--warn)"
                strokeDasharray="6 4"
                label={{
                  value: `label accuracy ${Math.round(labelAccuracy * 100)}%`,
                  position: 'insideBottomRight',
                  fill: 'var(--warn)',
                  fontSize: 12,
                }}
              />
              {runs.map((run, r) => (
                <Line
                  key={run.id}
                  dataKey={columnKey(r, 0)}
                  name={run.label}
                  stroke={run.kind === 'sft' ? 'var(--series-2)' : 'var(--accent)'}
                  strokeWidth={2}
                  dot={rows.length < 40 ? { r: 2 } : false}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </ComposedChart>
          </ResponsiveContainer>
        )}
        {rows.length === 0 ? null : (
          <p className="cake-verdict" data-testid="cake-verdict">
            {cakeVerdict(sEnds, rEnds, labelAccuracy)}
          </p>
        )}
      </div>
    </Panel>
  );
});
