// The lesson's one chart: every training phase of the lesson as a line over its steps (finished phases
// from the lesson's records, the running one live from the store), and the lesson's marks as dashed lines.
import { memo } from 'react';
import { CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Lesson } from '../../lessons';
import type { StepMetrics } from '../../schema/metrics';
import { SERIES_COLORS, TOOLTIP_STYLE } from '../charts/palette';

/** What each chart kind plots. */
const VALUE: Record<Lesson['chart'], { name: string; read: (m: StepMetrics) => number | null | undefined }> = {
  reward: { name: 'training reward', read: (m) => m.reward_mean },
  validation: { name: 'held-out reward', read: (m) => m.eval_reward_mean },
  'dead-groups': { name: 'dead groups (zero spread)', read: (m) => m.frac_groups_zero_std },
};

export interface LessonChartProps {
  lesson: Lesson;
  /** Metrics per train phase id, as far as each got. */
  phases: Record<string, StepMetrics[]>;
}

/** Rows by step, one column per train phase id. */
export function lessonRows(lesson: Lesson, phases: Record<string, StepMetrics[]>): Record<string, number>[] {
  const rows = new Map<number, Record<string, number>>();
  for (const p of lesson.phases) {
    for (const m of phases[p.id] ?? []) {
      const v = VALUE[lesson.chart].read(m);
      if (v === null || v === undefined) continue;
      const row = rows.get(m.step) ?? { step: m.step };
      row[p.id] = v;
      rows.set(m.step, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.step - b.step);
}

export const LessonChart = memo(function LessonChart({ lesson, phases }: LessonChartProps) {
  const rows = lessonRows(lesson, phases);
  const trains = lesson.phases.filter((p) => p.kind === 'train');
  if (trains.length === 0) return null;
  return (
    <figure className="lesson-chart" data-testid="lesson-chart" aria-label={`${VALUE[lesson.chart].name} per step`}>
      <figcaption className="hint">{VALUE[lesson.chart].name} per step, one line per run</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--grid)" strokeDasharray="3 3" />
          <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} stroke="var(--muted)" />
          <YAxis domain={[0, 1]} stroke="var(--muted)" width={40} />
          <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {lesson.marks.map((m) => (
            <ReferenceLine
              key={m.label}
              y={m.y}
              stroke="var(--warn)"
              strokeDasharray="6 4"
              label={{ value: `${m.label} ${Math.round(m.y * 100)}%`, position: 'insideBottomRight', fill: 'var(--warn)', fontSize: 12 }}
            />
          ))}
          {trains.map((p, i) => (
            <Line
              key={p.id}
              dataKey={p.id}
              name={p.label}
              stroke={SERIES_COLORS[i % SERIES_COLORS.length]}
              strokeWidth={2}
              dot={rows.length < 40 ? { r: 2 } : false}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
});
