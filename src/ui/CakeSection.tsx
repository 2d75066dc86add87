// The cake view on the page: shown for the arithmetic task, fed by the store's run (as the SFT or the
// RFT curve, by its algo) and the label accuracy of the task's train split.
import { useMemo } from 'react';
import { CakeView } from './CakeView';
import { useStoreRuns } from './charts/zoom';
import { useUi } from './store';
import { arithmetic, arithmeticLabelAccuracy } from '../tasks/arithmetic';

/** Train items measured for the label accuracy (the task's items are deterministic). */
const LABEL_SAMPLE = 2000;

export function CakeSection() {
  const task = useUi((s) => s.task);
  const dataset = useUi((s) => s.dataset);
  const [run] = useStoreRuns();
  const labelAccuracy = useMemo(() => arithmeticLabelAccuracy(arithmetic.items('train', LABEL_SAMPLE)).overall, []);
  if (task !== arithmetic.name || dataset !== null) return null;
  const has = run.points.length > 0;
  return (
    <div className="area-cake">
      <CakeView sft={has && run.kind === 'sft' ? run : null} rft={has && run.kind === 'rft' ? run : null} labelAccuracy={labelAccuracy} />
    </div>
  );
}
