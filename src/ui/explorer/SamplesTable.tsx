// The completions explorer: for a step, each prompt's group of completions with reward, sub-rewards,
// advantage, length and flags; filters; and the same prompt compared across steps.
import { useMemo, useState } from 'react';
import { Panel } from '../Panel';
import { useUi } from '../store';
import { Filters } from './Filters';
import { Compare } from './Compare';
import { SampleRows } from './SampleRows';
import { useSampleHistory, WORKER_KEEPS } from './useHistory';
import { filterGroups, groupsAt, NO_FILTER, repeatedPrompts, stepsOf, type ExplorerSample, type SampleFilter } from './select';

export interface SamplesTableProps {
  /** Samples to explore (several steps allowed); default: the store's. */
  samples?: readonly ExplorerSample[];
}

export function SamplesTable({ samples }: SamplesTableProps) {
  const history = useSampleHistory(useUi((s) => s.samples));
  const completed = useUi((s) => s.run.step);
  const all = samples ?? history.samples;
  const load = samples === undefined ? history.load : null;
  const [step, setStep] = useState<number | 'latest'>('latest');
  const [filter, setFilter] = useState<SampleFilter>(NO_FILTER);
  const [compare, setCompare] = useState<string | null>(null);
  const steps = useMemo(() => stepsOf(all), [all]);
  // Steps that can be fetched from the worker: the completed ones it still keeps, when an engine is there.
  const fetchable = useMemo(() => {
    if (load === null) return [];
    const first = Math.max(0, completed - WORKER_KEEPS);
    return Array.from({ length: completed - first }, (_, i) => first + i).filter((i) => !steps.includes(i));
  }, [load, completed, steps]);
  const pickStep = (s: number | 'latest') => {
    setStep(s);
    if (s !== 'latest' && !steps.includes(s) && load !== null) load(s);
  };
  const shownStep = step === 'latest' || !steps.includes(step) ? steps[steps.length - 1] : step;
  const groups = useMemo(() => (shownStep === undefined ? [] : filterGroups(groupsAt(all, shownStep), filter)), [all, shownStep, filter]);
  const repeated = useMemo(() => new Set(repeatedPrompts(all)), [all]);
  const hidden = all.length > 0 && groups.length === 0;
  return (
    <Panel
      title="Completions"
      className="samples-panel"
      hint="Each prompt’s group: completions that beat their group’s mean get a positive advantage; a group whose rewards are all equal teaches nothing."
    >
      {all.length === 0 ? null : (
        <Filters steps={steps} fetchable={fetchable} step={step} onStep={pickStep} filter={filter} onFilter={setFilter} />
      )}
      {history.loading === null ? null : <p className="hint">Fetching step {history.loading}…</p>}
      {history.error === null ? null : <p className="error-text">{history.error}</p>}
      {compare === null ? null : <Compare samples={all} prompt={compare} onClose={() => setCompare(null)} />}
      <div className="table-scroll">
        <table data-testid="samples-table" className="samples">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Completion</th>
              <th className="num">Reward</th>
              <th>Sub-rewards</th>
              <th className="num">Advantage</th>
              <th className="num">Tokens</th>
              <th>Notes</th>
            </tr>
          </thead>
          {all.length === 0 || hidden ? (
            <tbody>
              <tr className="empty">
                <td colSpan={7}>{hidden ? 'No completion matches these filters.' : 'No samples yet: start a run or step once.'}</td>
              </tr>
            </tbody>
          ) : (
            groups.map((g) => (
              <SampleRows
                key={`${g.step}-${g.group}`}
                group={g}
                canCompare={repeated.has(g.prompt)}
                onCompare={() => setCompare(g.prompt)}
              />
            ))
          )}
        </table>
      </div>
    </Panel>
  );
}
