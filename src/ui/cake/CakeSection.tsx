// The cake view on the page: shown for the arithmetic task, fed by the store's runs (the current one and
// the kept one of the other kind: the SFT and the RFT curve) and the label accuracy of the task's train split.
// It sits at the bottom of the page: it draws only when scrolled near, in its turn (charts/turns.ts).
import { useMemo, useRef } from 'react';
import { CakeView } from './CakeView';
import { useStoreRuns } from '../charts/zoom';
import { useInView } from '../charts/pace';
import { useTurn } from '../charts/turns';
import { useUi } from '../store';
import { arithmetic, arithmeticLabelAccuracy } from '../../tasks/arithmetic';

/** Train items measured for the label accuracy (the task's items are deterministic). */
const LABEL_SAMPLE = 2000;

export function CakeSection() {
  const task = useUi((s) => s.task);
  const dataset = useUi((s) => s.dataset);
  if (task !== arithmetic.name || dataset !== null) return null;
  return <Cake />;
}

function Cake() {
  const runs = useStoreRuns();
  const labelAccuracy = useMemo(() => arithmeticLabelAccuracy(arithmetic.items('train', LABEL_SAMPLE)).overall, []);
  const ref = useRef<HTMLDivElement>(null);
  const near = useInView(ref);
  const drawn = useTurn(runs, near && runs.some((r) => r.points.length > 0)) ?? [];
  const of = (kind: 'sft' | 'rft') => drawn.find((r) => r.kind === kind && r.points.length > 0) ?? null;
  return (
    <div className="area-cake" ref={ref}>
      <CakeView sft={of('sft')} rft={of('rft')} labelAccuracy={labelAccuracy} />
    </div>
  );
}
