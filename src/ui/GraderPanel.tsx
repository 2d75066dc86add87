// Grader editor and its try-it pane: run the grader on hand-written outputs before training.
// EngineController.tryGrader sends `tryGrader`; the train worker runs the grader in its sandbox worker
// (src/graders) and answers with a GradeResult per sample, shown below; errors naming a line are
// underlined in the editor.
import { Panel } from './Panel';
import { GraderEditor } from './GraderEditor';
import { TryResult } from './TryResult';
import { useDispatch, useUi } from './store';
import { useEngine } from './context';
import { useDarkTheme } from './useDarkTheme';
import { problemsFrom, tryLines, tryRequests } from './tryInputs';
import { useMemo, useState } from 'react';

export function GraderPanel() {
  const grader = useUi((s) => s.grader);
  const backendReady = useUi((s) => s.backend.status === 'ready');
  const dispatch = useDispatch();
  const engine = useEngine();
  const dark = useDarkTheme();
  const [outputs, setOutputs] = useState('42\n41\nThe answer is 42');
  const [reference, setReference] = useState('42');
  const problems = useMemo(() => problemsFrom(grader.tryResult), [grader.tryResult]);
  return (
    <Panel title="Grader" className="grader-panel"
      hint="function grade(sample, item) returns a reward in [0, 1], or null when it cannot score the sample.">
      <div className="grader-grid">
        <GraderEditor code={grader.code} dark={dark} problems={problems} onChange={(code) => dispatch({ type: 'grader/edit', code })} />
        <div className="try-pane">
          <label>Outputs to grade (one per line)
            <textarea rows={4} value={outputs} onChange={(e) => setOutputs(e.target.value)} />
          </label>
          <label>item.reference_answer
            <input value={reference} onChange={(e) => setReference(e.target.value)} />
          </label>
          <button type="button" data-testid="grader-try" disabled={!backendReady || grader.trying}
            onClick={() => void engine.tryGrader(tryRequests(outputs, reference))}>
            {grader.trying ? 'Grading…' : 'Try grader'}
          </button>
          <TryResult result={grader.tryResult} outputs={tryLines(outputs)} />
        </div>
      </div>
    </Panel>
  );
}
