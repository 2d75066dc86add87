// Grader editor and its try-it pane: run the grader on hand-written outputs before training.
// EngineController.tryGrader sends `tryGrader`; the train worker runs the grader in its sandbox worker
// (src/graders) and answers with a GradeResult per sample, shown below; errors naming a line are
// underlined in the editor. The toolbar inserts templates, opens the contract, and imports/exports
// OpenAI grader JSON.
import { Panel } from './Panel';
import { GraderEditor } from './GraderEditor';
import { TryResult } from './TryResult';
import { useDispatch, useUi } from './store';
import { useEngine } from './context';
import { useDarkTheme } from './useDarkTheme';
import { problemsFrom, tryLines, tryRequests } from './tryInputs';
import { useMemo, useState } from 'react';
import { GraderToolbar } from './grader/GraderToolbar';
import { GraderHelp } from './grader/GraderHelp';
import type { Problem } from './tryInputs';
import { defaultGraderText, taskOption } from './taskOptions';

export function GraderPanel() {
  const grader = useUi((s) => s.grader);
  const backendReady = useUi((s) => s.backend.status === 'ready');
  const dispatch = useDispatch();
  const engine = useEngine();
  const dark = useDarkTheme();
  const [outputs, setOutputs] = useState('42\n41\nThe answer is 42');
  const [reference, setReference] = useState('42');
  const [helpOpen, setHelpOpen] = useState(false);
  const [ioProblem, setIoProblem] = useState<Problem | null>(null);
  const tried = useMemo(() => problemsFrom(grader.tryResult), [grader.tryResult]);
  const problems = useMemo(() => (ioProblem === null ? tried : [ioProblem, ...tried.filter((p) => p.line !== ioProblem.line)]), [tried, ioProblem]);
  const setCode = (code: string) => dispatch({ type: 'grader/edit', code });
  const task = useUi((s) => s.task);
  const taskDefault = defaultGraderText(task);
  const title = taskOption(task)?.title ?? task;
  return (
    <Panel title="Grader" className="grader-panel"
      hint="function grade(sample, item) returns a reward in [0, 1], or null when it cannot score the sample.">
      <GraderToolbar code={grader.code} onCode={setCode} helpOpen={helpOpen} onHelp={setHelpOpen} onProblem={setIoProblem} />
      {grader.code === taskDefault
        ? <p className="hint grader-origin" data-testid="grader-origin">The default grader of <em>{title}</em>; it follows the task until you edit it.</p>
        : <p className="hint grader-origin" data-testid="grader-origin">Your grader (picking another task keeps it).{' '}
          <button type="button" data-testid="grader-reset" onClick={() => { setIoProblem(null); setCode(taskDefault); }}>Reset to the task&apos;s default</button></p>}
      {helpOpen ? <GraderHelp onClose={() => setHelpOpen(false)} /> : null}
      <div className="grader-grid">
        <GraderEditor code={grader.code} dark={dark} problems={problems} onChange={(code) => { setIoProblem(null); setCode(code); }} />
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
