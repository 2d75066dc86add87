// The cake view on the page: shown for the arithmetic task, fed by the store's runs (the current one and
// the kept one of the other kind: the SFT and the RFT curve) and the label accuracy of the task's train split.
import { useMemo } from 'react';
import { CakeView } from './CakeView';
import { useStoreRuns } from './charts/zoom';
import { useTrueAfter } from './charts/pace';
import { FIRST_DRAW_GAP_MS } from './charts/MetricChart';
import { CHARTS } from './charts/defs';
import { useUi } from './store';
import { arithmetic, arithmeticLabelAccuracy } from '../tasks/arithmetic';

/** Train items measured for the label accuracy (the task's items are deterministic). */
const LABEL_SAMPLE = 2000;

export function CakeSection() {
  const task = useUi((s) => s.task);
  const dataset = useUi((s) => s.dataset);
  const runs = useStoreRuns();
  const labelAccuracy = useMemo(() => arithmeticLabelAccuracy(arithmetic.items('train', LABEL_SAMPLE)).overall, []);
  const has = runs.some((r) => r.points.length > 0);
  // Its first drawing waits until the charts above have drawn theirs (one recharts mount per task).
  const draw = useTrueAfter(has, FIRST_DRAW_GAP_MS * (CHARTS.length + 1));
  if (task !== arithmetic.name || dataset !== null) return null;
  const of = (kind: 'sft' | 'rft') => (draw ? runs.find((r) => r.kind === kind && r.points.length > 0) ?? null : null);
  return (
    <div className="area-cake">
      <CakeView sft={of('sft')} rft={of('rft')} labelAccuracy={labelAccuracy} />
    </div>
  );
}
