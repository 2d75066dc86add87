// The completions of the latest step: prompt, completion, reward, advantage, length.
import { Panel } from './Panel';
import { useUi } from './store';

export function SamplesTable() {
  const samples = useUi((s) => s.samples);
  return (
    <Panel title="Completions" className="samples-panel" hint="Each prompt's group: completions that beat their group's mean get a positive advantage.">
      <div className="table-scroll">
        <table data-testid="samples-table" className="samples">
          <thead>
            <tr><th>Step</th><th>Group</th><th>Prompt</th><th>Completion</th><th className="num">Reward</th><th className="num">Advantage</th><th className="num">Tokens</th></tr>
          </thead>
          <tbody>
            {samples.length === 0 ? (
              <tr className="empty"><td colSpan={7}>No samples yet: start a run or step once.</td></tr>
            ) : samples.map((r, i) => (
              <tr key={`${r.step}-${r.group}-${i}`}>
                <td className="num">{r.step}</td>
                <td className="num">{r.group}</td>
                <td><code>{r.prompt}</code></td>
                <td><code>{r.completion}</code>{r.error === null ? null : <span className="error-text"> {r.error}</span>}</td>
                <td className="num">{r.reward === null ? '—' : r.reward.toFixed(3)}</td>
                <td className={`num ${r.advantage > 0 ? 'pos' : r.advantage < 0 ? 'neg' : ''}`}>{r.advantage.toFixed(3)}</td>
                <td className="num">{r.tokens}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
