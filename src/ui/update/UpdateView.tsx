// "What one update did": for a step (the latest by default, any kept one on request) and one of its
// traced groups, the prompt, its G completions with reward and advantage, and each completion's
// tokens tinted by how much that step's update moved their log-probability (after − before).
import { useCallback, useEffect, useState } from 'react';
import { Panel } from '../Panel';
import { useUi } from '../store';
import { useEngine } from '../context';
import { logprobDeltas, sequenceDelta, type UpdateTrace } from '../../schema/updateTrace';
import { deltaColour, showToken, signed } from './colour';

export function UpdateView() {
  const engine = useEngine();
  const completed = useUi((s) => s.run.step);
  const state = useUi((s) => s.run.state);
  const [follow, setFollow] = useState(true);
  const [asked, setAsked] = useState(0);
  const [traces, setTraces] = useState<UpdateTrace[]>([]);
  const [group, setGroup] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    (step: number | null) => {
      engine.updateOf(step).then(
        (t) => {
          setTraces(t);
          setError(null);
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      );
    },
    [engine],
  );
  // Following: refetch the latest traced step whenever a step completes.
  useEffect(() => {
    if (follow && completed > 0) load(null);
  }, [follow, completed, load]);
  const trace = traces.find((t) => t.group === group) ?? traces[0];
  const live = state === 'running' || state === 'paused';
  return (
    <Panel
      title="What one update did"
      className="update-panel"
      hint="Each token is tinted by how much that step’s update changed its log-probability: green more likely, red less. Completions with a positive advantage should turn green."
    >
      <div data-testid="update-view" className="update-view">
        <div className="update-controls">
          <label>
            Step
            <input
              type="number"
              min={1}
              max={Math.max(1, completed)}
              value={follow ? completed : asked + 1}
              disabled={completed === 0}
              onChange={(e) => {
                const s = Number(e.target.value) - 1;
                if (Number.isInteger(s) && s >= 0) {
                  setFollow(false);
                  setAsked(s);
                  load(s);
                }
              }}
            />
          </label>
          <label className="update-follow">
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> latest
          </label>
          {traces.length === 0 ? null : (
            <label>
              Group
              <select value={trace?.group ?? 0} onChange={(e) => setGroup(Number(e.target.value))}>
                {traces.map((t) => (
                  <option key={t.group} value={t.group}>
                    {t.group + 1}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        {error === null ? null : <p className="error-text">{error}</p>}
        {trace === undefined ? (
          <p className="empty">
            {live || completed > 0
              ? 'No traced group at this step (the worker keeps the last 200 steps).'
              : 'Start a run or step once: each step traces its first groups.'}
          </p>
        ) : (
          <TraceView trace={trace} />
        )}
      </div>
    </Panel>
  );
}

function TraceView({ trace }: { trace: UpdateTrace }) {
  const deltas = trace.completions.map((c) => logprobDeltas(c));
  const maxAbs = Math.max(0, ...deltas.flat().map(Math.abs));
  return (
    <div className="update-trace" data-step={trace.step} data-group={trace.group}>
      <p className="update-prompt">
        <span className="label">
          Step {trace.step + 1}, group {trace.group + 1}
          {trace.applied ? '' : ' (update skipped)'}:
        </span>{' '}
        <code>{trace.prompt}</code>
      </p>
      <div className="table-scroll">
        <table className="samples update-table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Completion (tinted by Δ log p)</th>
              <th className="num">Reward</th>
              <th className="num">Advantage</th>
              <th className="num">Δ log p</th>
            </tr>
          </thead>
          <tbody>
            {trace.completions.map((c, i) => (
              <tr key={i} data-testid="update-completion">
                <td className="num">{i + 1}</td>
                <td className="update-tokens">
                  {c.tokens.map((t, k) => (
                    <span
                      key={k}
                      className="update-token"
                      data-delta={deltas[i][k]}
                      style={{ background: deltaColour(deltas[i][k], maxAbs) }}
                      title={`log p ${c.before[k].toFixed(3)} → ${c.after[k].toFixed(3)} (${signed(deltas[i][k])})`}
                    >
                      {showToken(t)}
                    </span>
                  ))}
                </td>
                <td className="num">{c.reward === null ? '—' : c.reward.toFixed(2)}</td>
                <td className="num">{signed(c.advantage, 2)}</td>
                <td className="num" data-testid="update-seq-delta">
                  {signed(sequenceDelta(c))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">Largest change {maxAbs.toFixed(3)} nats. Hover a token for its log-prob before → after.</p>
    </div>
  );
}
