// Grader editor and its try-it pane: run the grader before training on hand-written outputs (graded
// against a real item of the task, or one written as JSON) and on completions sampled from the loaded
// model (`sampleForTry`), re-graded as you type (tryit/useTryIt). EngineController.tryGrader sends
// `tryGrader`; the train worker runs the grader in its sandbox worker (src/graders) and answers with a
// GradeResult per sample, shown below; errors naming a line are underlined in the editor. The toolbar
// inserts templates, opens the contract, and imports/exports OpenAI grader JSON.
import { Panel } from '../Panel';
import { GraderEditor } from './GraderEditor';
import { TryResult } from './TryResult';
import { useDispatch, useUi } from '../store';
import { useDarkTheme } from '../useDarkTheme';
import { problemsFrom, tryLines } from './tryInputs';
import { useTryIt } from '../tryit/useTryIt';
import { TryItems } from '../tryit/TryItems';
import { SampledResults } from '../tryit/SampledResults';
import { useMemo, useState } from 'react';
import { GraderToolbar } from './GraderToolbar';
import { GraderHelp } from './GraderHelp';
import { JudgeControls } from './JudgeControls';
import { useEngine } from '../context';
import type { Problem } from './tryInputs';
import { defaultGraderText, taskOption } from '../task/taskOptions';

export function GraderPanel() {
  const grader = useUi((s) => s.grader);
  const backendReady = useUi((s) => s.backend.status === 'ready');
  const engine = useEngine();
  const dispatch = useDispatch();
  const dark = useDarkTheme();
  const modelReady = useUi((s) => s.model.status === 'ready');
  const running = useUi((s) => s.run.state === 'running');
  const t = useTryIt();
  const [helpOpen, setHelpOpen] = useState(false);
  const [ioProblem, setIoProblem] = useState<Problem | null>(null);
  const tried = useMemo(() => problemsFrom(grader.tryResult), [grader.tryResult]);
  const problems = useMemo(
    () => (ioProblem === null ? tried : [ioProblem, ...tried.filter((p) => p.line !== ioProblem.line)]),
    [tried, ioProblem],
  );
  const setCode = (code: string) => dispatch({ type: 'grader/edit', code });
  /** A person's edit (typing, a template): stored, then re-graded after a pause. */
  const editCode = (code: string) => {
    setCode(code);
    t.edited();
  };
  const task = useUi((s) => s.task);
  const taskDefault = defaultGraderText(task);
  const title = taskOption(task)?.title ?? task;
  return (
    <Panel
      title="Grader"
      className="grader-panel"
      hint="function grade(sample, item) returns a reward in [0, 1], or null when it cannot score the sample."
    >
      <GraderToolbar
        code={grader.code}
        onCode={editCode}
        helpOpen={helpOpen}
        onHelp={setHelpOpen}
        onProblem={setIoProblem}
        validate={backendReady ? () => engine.validateGrader() : null}
      />
      {grader.code === taskDefault ? (
        <p className="hint grader-origin" data-testid="grader-origin">
          The default grader of <em>{title}</em>; it follows the task until you edit it.
        </p>
      ) : (
        <p className="hint grader-origin" data-testid="grader-origin">
          Your grader (picking another task keeps it).{' '}
          <button
            type="button"
            data-testid="grader-reset"
            onClick={() => {
              setIoProblem(null);
              setCode(taskDefault);
            }}
          >
            Reset to the task&apos;s default
          </button>
        </p>
      )}
      {helpOpen ? <GraderHelp onClose={() => setHelpOpen(false)} /> : null}
      <JudgeControls />
      <div className="grader-grid">
        <GraderEditor
          code={grader.code}
          dark={dark}
          problems={problems}
          onChange={(code) => {
            // The editor also reports text set from outside (task switch, link, reset): only a change is an edit.
            if (code === grader.code) return;
            setIoProblem(null);
            editCode(code);
          }}
        />
        <div className="try-pane">
          <TryItems items={t.items} pick={t.pick} onPick={t.pickItem} json={t.itemJson} onJson={t.setItemJson} error={t.itemError} />
          <label>
            Outputs to grade (one per line)
            <textarea rows={4} data-testid="grader-try-outputs" value={t.outputs} onChange={(e) => t.setOutputs(e.target.value)} />
          </label>
          <div className="try-buttons">
            <button type="button" data-testid="grader-try" disabled={!backendReady || grader.trying} onClick={t.tryNow}>
              {grader.trying ? 'Grading…' : 'Try grader'}
            </button>
            <button
              type="button"
              data-testid="grader-sample"
              disabled={!modelReady || running || t.sampling}
              onClick={t.sample}
              title={
                running
                  ? 'Pause the run first: sampling uses the model the run is training.'
                  : 'Sample completions of a few validation items from the loaded model, then grade them.'
              }
            >
              {t.sampling ? 'Sampling…' : 'Sample from model'}
            </button>
          </div>
          <TryResult result={grader.tryResult} outputs={t.shown?.hand ?? tryLines(t.outputs)} />
          {t.sampleError === null ? null : (
            <p className="error-text" role="alert" data-testid="grader-sample-error">
              {t.sampleError}
            </p>
          )}
          {t.sampled === null ? null : (
            <SampledResults
              sampled={t.sampled}
              results={t.shown !== null && t.shown.sampled === t.sampled ? t.shown.results.slice(t.shown.hand.length) : null}
              error={grader.tryResult !== null && 'error' in grader.tryResult ? grader.tryResult.error : null}
            />
          )}
        </div>
      </div>
    </Panel>
  );
}
