// The same prompt across steps: its group's mean reward and best completion at each step (before/after).
import { acrossSteps, type ExplorerSample } from './select';

export function Compare({ samples, prompt, onClose }: { samples: readonly ExplorerSample[]; prompt: string; onClose: () => void }) {
  const rows = acrossSteps(samples, prompt);
  return (
    <div className="explorer-compare" data-testid="explorer-compare">
      <div className="compare-head">
        <strong>Across steps:</strong> <code>{prompt}</code>
        <button type="button" onClick={onClose} aria-label="Close the comparison">
          ✕
        </button>
      </div>
      {rows.length < 2 ? (
        <p className="empty">This prompt was sampled at one step only: nothing to compare yet.</p>
      ) : (
        <table className="samples compare">
          <thead>
            <tr>
              <th className="num">Step</th>
              <th className="num">Mean reward</th>
              <th className="num">Scored</th>
              <th>Best completion</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.step}>
                <td className="num">{r.step}</td>
                <td className="num">{r.mean === null ? '—' : r.mean.toFixed(3)}</td>
                <td className="num">
                  {r.scored}/{r.total}
                </td>
                <td>
                  <code>{r.best.completion}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
