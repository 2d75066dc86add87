// The outcome of trying a grader: a reward (or error) per hand-written output.
import type { UiState } from './store';

export function TryResult({ result, outputs }: { result: UiState['grader']['tryResult']; outputs: string[] }) {
  if (result === null) {
    return <div className="try-result empty" data-testid="grader-try-result">Press “Try grader” to score these outputs.</div>;
  }
  if ('error' in result) {
    return <div className="try-result error" data-testid="grader-try-result" role="alert">{result.error}</div>;
  }
  return (
    <table className="try-result" data-testid="grader-try-result">
      <thead><tr><th>Output</th><th>Reward</th><th>Note</th></tr></thead>
      <tbody>
        {result.results.map((r, i) => (
          <tr key={i}>
            <td><code>{outputs[i] ?? ''}</code></td>
            <td className="num">{r.reward === null ? '—' : r.reward.toFixed(3)}</td>
            <td>{r.error ?? (Object.keys(r.sub_rewards).length > 0 ? Object.entries(r.sub_rewards).map(([k, v]) => `${k}: ${v ?? '—'}`).join(', ') : '')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
