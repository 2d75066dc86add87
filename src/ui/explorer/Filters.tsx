// The explorer's controls: which step, a reward range, text search, errors / truncated only.
import { useState } from 'react';
import { parseBound, type SampleFilter } from './select';

export interface FiltersProps {
  /** Steps held here, ascending. */
  steps: number[];
  /** Other steps that can be fetched from the worker. */
  fetchable: number[];
  /** Selected step, or 'latest' to follow the newest one. */
  step: number | 'latest';
  onStep: (s: number | 'latest') => void;
  filter: SampleFilter;
  onFilter: (f: SampleFilter) => void;
}

export function Filters({ steps, fetchable, step, onStep, filter, onFilter }: FiltersProps) {
  const [min, setMin] = useState(''),
    [max, setMax] = useState('');
  const bound = (text: string, set: (t: string) => void, key: 'minReward' | 'maxReward') => {
    set(text);
    const b = parseBound(text);
    if (b.ok) onFilter({ ...filter, [key]: b.value });
  };
  const bad = (t: string) => !parseBound(t).ok;
  return (
    <div className="explorer-filters" role="group" aria-label="Filter completions">
      <label>
        Step
        <select value={String(step)} onChange={(e) => onStep(e.target.value === 'latest' ? 'latest' : Number(e.target.value))}>
          <option value="latest">latest{steps.length > 0 ? ` (${steps[steps.length - 1]})` : ''}</option>
          {[...steps, ...fetchable]
            .sort((a, b) => a - b)
            .map((s) => (
              <option key={s} value={s}>
                {steps.includes(s) ? s : `${s} (fetch)`}
              </option>
            ))}
        </select>
      </label>
      <label>
        Reward from
        <input
          className="bound"
          inputMode="decimal"
          placeholder="any"
          value={min}
          aria-invalid={bad(min)}
          onChange={(e) => bound(e.target.value, setMin, 'minReward')}
        />
      </label>
      <label>
        to
        <input
          className="bound"
          inputMode="decimal"
          placeholder="any"
          value={max}
          aria-invalid={bad(max)}
          onChange={(e) => bound(e.target.value, setMax, 'maxReward')}
        />
      </label>
      <label className="grow">
        Search
        <input
          type="search"
          placeholder="prompt, completion or error"
          value={filter.text}
          onChange={(e) => onFilter({ ...filter, text: e.target.value })}
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={filter.onlyErrors} onChange={(e) => onFilter({ ...filter, onlyErrors: e.target.checked })} /> errors
        only
      </label>
      <label className="check">
        <input type="checkbox" checked={filter.onlyTruncated} onChange={(e) => onFilter({ ...filter, onlyTruncated: e.target.checked })} />{' '}
        truncated only
      </label>
    </div>
  );
}
