// Start / pause (resume) / step once / stop, the step counter, and keyboard shortcuts:
// Space or P toggles run/pause, S steps once, Escape stops (not while typing in a field or the editor).
// Enabled by the worker's run state: start needs a loaded model and no run in progress; pause while
// running (it resumes when paused); step once when not running; stop while running or paused.
import { useEffect, useState } from 'react';
import { useUi } from '../store';
import { useEngine } from '../context';
import type { RunState } from '../../worker/protocol';

/** True when the key belongs to what has focus: a field, the editor, or (for Space) a focused button. */
function typing(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return true;
  return key === ' ' && target.tagName === 'BUTTON';
}

export function RunControls() {
  const run = useUi((s) => s.run);
  const ready = useUi((s) => s.backend.status === 'ready' && s.model.status === 'ready');
  const engine = useEngine();
  const state: RunState = run.state;
  const running = state === 'running';
  const paused = state === 'paused';
  // A memory plan that cannot fit blocks a new run (MemoryPlan.tsx says why and what to change).
  const planBlocks = useUi((s) => s.plan !== null && 'info' in s.plan && s.plan.info.problems.length > 0);
  const canStart = ready && !running && !paused && state !== 'loading' && !planBlocks;
  // Pause and stop wait for the step in progress (seconds on a slow backend): say so meanwhile.
  const [waiting, setWaiting] = useState<'pausing' | 'stopping' | null>(null);
  const after = (what: 'pausing' | 'stopping', p: Promise<void>) => {
    setWaiting(what);
    void p.finally(() => setWaiting(null));
  };

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (typing(e.target, e.key) || e.ctrlKey || e.metaKey || e.altKey || !ready) return;
      const k = e.key.toLowerCase();
      if (k === ' ' || k === 'p') {
        e.preventDefault();
        if (running) after('pausing', engine.pause());
        else if (paused) void engine.resume();
        else if (!planBlocks) void engine.start();
      } else if (k === 's' && !running && (paused || !planBlocks)) void engine.step();
      else if (k === 'escape' && (running || paused)) after('stopping', engine.stop());
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [engine, running, paused, ready, planBlocks]);

  return (
    <div className="run-controls" role="toolbar" aria-label="Run controls">
      <button
        type="button"
        className="primary"
        data-testid="run-start"
        disabled={!canStart}
        title="Start a run (Space)"
        onClick={() => void engine.start()}
      >
        ▶ Start
      </button>
      <button
        type="button"
        data-testid="run-pause"
        disabled={!running && !paused}
        title="Pause / resume (Space)"
        onClick={() => {
          if (running) after('pausing', engine.pause());
          else void engine.resume();
        }}
      >
        {paused ? 'Resume' : 'Pause'}
      </button>
      <button
        type="button"
        data-testid="run-step"
        disabled={!ready || running || (!paused && planBlocks)}
        title="Run one step, then pause (S)"
        onClick={() => void engine.step()}
      >
        Step once
      </button>
      <button
        type="button"
        data-testid="run-stop"
        disabled={!running && !paused}
        title="Stop the run (Esc)"
        onClick={() => after('stopping', engine.stop())}
      >
        Stop
      </button>
      <span className="step">
        step <strong data-testid="step-counter">{run.step}</strong>
      </span>
      <span className={`run-state state-${state}`} data-testid="run-state" title={run.message ?? undefined}>
        {state}
      </span>
      {waiting !== null && running ? (
        <span className="hint" aria-live="polite">
          {waiting} after this step…
        </span>
      ) : null}
      {run.message !== null ? <span className="hint">{run.message}</span> : null}
    </div>
  );
}
