// One prompt's group in the explorer: a header row (prompt, group mean, no-signal flag) and a row per
// completion.
import type { ExplorerSample, PromptGroup } from './select';

function fmt(v: number | null): string {
  return v === null ? '—' : v.toFixed(3);
}

function subRewards(s: ExplorerSample): string {
  const e = Object.entries(s.sub_rewards ?? {});
  return e.length === 0 ? '' : e.map(([k, v]) => `${k}: ${v === null ? '—' : Number(v.toPrecision(3))}`).join(', ');
}

function detailsText(d: unknown): string | null {
  if (d === undefined || d === null) return null;
  if (typeof d === 'string') return d;
  try {
    return JSON.stringify(d, null, 1);
  } catch {
    return String(d);
  }
}

export function SampleRows({ group, canCompare, onCompare }: { group: PromptGroup; canCompare: boolean; onCompare: () => void }) {
  return (
    <tbody className="sample-group">
      <tr className="group-head">
        <td colSpan={7}>
          <span className="group-id">group {group.group}</span> <code>{group.prompt}</code>
          <span className="group-mean"> · mean {fmt(group.mean)}</span>
          {group.zeroStd ? (
            <span className="tag warn" title="Every scored completion got the same reward: advantage 0, no gradient.">
              {' '}
              no signal
            </span>
          ) : null}
          {canCompare ? (
            <button type="button" className="link" onClick={onCompare}>
              compare across steps
            </button>
          ) : null}
        </td>
      </tr>
      {group.samples.map((s, i) => {
        const details = detailsText(s.details);
        return (
          <tr key={i} className={s.trained === false ? 'untrained' : undefined}>
            <td className="num">{i + 1}</td>
            <td>
              <code>{s.completion}</code>
              {details === null ? null : (
                <details>
                  <summary>details</summary>
                  <pre>{details}</pre>
                </details>
              )}
            </td>
            <td className="num">{fmt(s.reward)}</td>
            <td className="sub">{subRewards(s)}</td>
            <td className={`num ${s.advantage > 0 ? 'pos' : s.advantage < 0 ? 'neg' : ''}`}>{s.advantage.toFixed(3)}</td>
            <td className="num">{s.length}</td>
            <td>
              {s.truncated === true ? <span className="tag warn">truncated</span> : null}
              {s.trained === false ? <span className="tag">not trained</span> : null}
              {s.error === null ? null : <span className="error-text">{s.error}</span>}
            </td>
          </tr>
        );
      })}
    </tbody>
  );
}
