// Run controls and the hyperparameters they use.
import { Panel } from '../Panel';
import { RunControls } from './RunControls';
import { Hyperparameters } from './Hyperparameters';
import { MemoryPlan } from './MemoryPlan';
import { LoraAdapterPicker } from './LoraAdapterPicker';

export function RunPanel() {
  return (
    <Panel
      title="Run"
      className="run-panel"
      hint="Each step: sample a group of completions per prompt, grade them, move the policy toward the better ones."
    >
      <RunControls />
      <MemoryPlan />
      <Hyperparameters />
      <LoraAdapterPicker />
    </Panel>
  );
}
