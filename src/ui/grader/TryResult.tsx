// The outcome of trying a grader: a reward (or error) per hand-written output, with sub-rewards and the
// details the grader returned (sampled completions: tryit/SampledResults).
import type { UiState } from '../store';

/** A result's note: its error, or its sub-rewards and details. */
export function note(r: { error: string | null; sub_rewards: Record<string, number | null>; details?: unknown }): string {
  if (r.error !== null) return r.error;
  const parts = Object.entries(r.sub_rewards).map(([k, v]) => `${k}: ${v ?? '—'}`);
  if (r.details !== undefined && r.details !== null) parts.push(typeof r.details === 'string' ? r.details : JSON.stringify(r.details));
  return parts.join(', ');
}

/** `outputs`: the hand-written lines graded; the results after them (sampled completions) are shown elsewhere. */
export function TryResult({ result, outputs }: { result: UiState['grader']['tryResult']; outputs: string[] }) {
  if (result === null) {
    return (
      <div className="try-result empty" data-testid="grader-try-result">
        Press “Try grader” (or edit the grader) to score these outputs.
      </div>
    );
  }
  if ('error' in result) {
    return (
      <div className="try-result error" data-testid="grader-try-result" role="alert">
        {result.error}
      </div>
    );
  }
  return (
    <table className="try-result" data-testid="grader-try-result">
      <thead>
        <tr>
          <th>Output</th>
          <th>Reward</th>
          <th>Note</th>
        </tr>
      </thead>
      <tbody>
        {result.results.slice(0, outputs.length).map((r, i) => (
          <tr key={i}>
            <td>
              <code>{outputs[i]}</code>
            </td>
            <td className="num">{r.reward === null ? '—' : r.reward.toFixed(3)}</td>
            <td className={r.error === null ? undefined : 'error-text'}>{note(r)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
