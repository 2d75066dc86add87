// Completions sampled from the model, graded by the editor's grader: per prompt its reference fields and
// the group's reward spread ("no signal" when every reward is equal: GRPO learns nothing from it), and
// per completion the output, its length, reward, sub-rewards, details and error.
import type { GradeResult } from '../../graders/types';
import type { SampleForTryResult } from '../../worker/protocol';
import { note } from '../grader/TryResult';
import { spreadOf, spreadText } from './helpers';

export interface SampledResultsProps {
  sampled: SampleForTryResult;
  /** One result per completion, item by item; null while not graded (or the grader failed as a whole). */
  results: GradeResult[] | null;
  /** The grader's own failure (it did not load), shown instead of rewards. */
  error: string | null;
}

function referenceFields(item: Record<string, unknown>): string {
  return Object.entries(item)
    .filter(([k]) => k !== 'prompt')
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

export function SampledResults({ sampled, results, error }: SampledResultsProps) {
  let row = 0;
  return (
    <div className="try-sampled" data-testid="grader-sample-result">
      {error === null ? null : (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {sampled.items.map((item, i) => {
        const group = sampled.completions[i].map((c) => ({ c, r: results?.[row++] ?? null }));
        const spread = spreadOf(group.map((g) => g.r?.reward ?? null));
        return (
          <table key={i} className="try-result">
            <caption>
              <code>{typeof item.prompt === 'string' ? item.prompt : ''}</code>
              <div className="hint">{referenceFields(item)}</div>
              {results === null ? null : (
                <div className={spread.noSignal ? 'error-text' : 'hint'} data-testid="grader-sample-spread">
                  {spreadText(spread, group.length)}
                </div>
              )}
            </caption>
            <thead>
              <tr>
                <th>Output</th>
                <th>Tokens</th>
                <th>Reward</th>
                <th>Note</th>
              </tr>
            </thead>
            <tbody>
              {group.map(({ c, r }, k) => (
                <tr key={k}>
                  <td>
                    <code>{c.text}</code>
                  </td>
                  <td>
                    {c.tokens}
                    {c.finish_reason === 'length' ? ' (cut)' : ''}
                  </td>
                  <td className="num">{r === null || r.reward === null ? '—' : r.reward.toFixed(3)}</td>
                  <td className={r?.error == null ? undefined : 'error-text'}>{r === null ? '' : note(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </div>
  );
}
