// What a regrade or try phase scored: the reward histogram, the spread per group, the completions scored
// highest and lowest, and the ones the grader could not score.
import type { GradedCompletion } from '../../lessons';
import { groupSpreads, histogram } from '../../lessons/verdicts';

/** Bins of the reward histogram over [0, 1]. */
const BINS = 5;
/** Completions listed at each end. */
const SHOWN = 3;

export function GradesView({ title, grades }: { title: string; grades: GradedCompletion[] }) {
  const scored = grades.filter((g) => g.reward !== null).sort((a, b) => (b.reward ?? 0) - (a.reward ?? 0));
  const counts = histogram(
    scored.map((g) => g.reward ?? 0),
    BINS,
  );
  const most = Math.max(1, ...counts);
  const spreads = groupSpreads(grades);
  const errors = grades.filter((g) => g.error !== null);
  const line = (g: GradedCompletion) => (
    <li key={`${g.group}-${g.completion}-${g.reward ?? 'x'}`}>
      <code>{g.prompt}</code> → <code>{JSON.stringify(g.completion)}</code>: {g.reward?.toFixed(2) ?? 'unscored'}
    </li>
  );
  return (
    <div className="lesson-grades" data-testid="lesson-grades">
      <h3>{title}</h3>
      <table className="lesson-hist" aria-label="reward histogram">
        <tbody>
          {counts.map((c, i) => (
            <tr key={i}>
              <th scope="row">
                {(i / BINS).toFixed(1)}–{((i + 1) / BINS).toFixed(1)}
              </th>
              <td>
                <span className="lesson-bar" style={{ width: `${(100 * c) / most}%` }} />
              </td>
              <td>{c}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Spread per group: {spreads.map((s) => (s === null ? '—' : s.toFixed(2))).join(' · ')}</p>
      <div className="lesson-ends">
        <div>
          <h4>Scored highest</h4>
          <ul>{scored.slice(0, SHOWN).map(line)}</ul>
        </div>
        <div>
          <h4>Scored lowest</h4>
          <ul>{scored.slice(-SHOWN).reverse().map(line)}</ul>
        </div>
      </div>
      <details>
        <summary>All {grades.length} completions</summary>
        <table data-testid="lesson-grades-all">
          <thead>
            <tr>
              <th scope="col">group</th>
              <th scope="col">prompt</th>
              <th scope="col">completion</th>
              <th scope="col">reward</th>
            </tr>
          </thead>
          <tbody>
            {grades.map((g, i) => (
              <tr key={i} data-group={g.group} data-reward={g.reward === null ? '' : String(g.reward)}>
                <td>{g.group}</td>
                <td>
                  <code>{g.prompt}</code>
                </td>
                <td>
                  <code>{JSON.stringify(g.completion)}</code>
                </td>
                <td>{g.reward?.toFixed(2) ?? g.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {errors.length === 0 ? (
        <p>No grader errors.</p>
      ) : (
        <div>
          <h4>Unscorable ({errors.length})</h4>
          <ul>
            {errors.slice(0, SHOWN).map((g, i) => (
              <li key={i}>
                <code>{JSON.stringify(g.completion)}</code>: {g.error}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
