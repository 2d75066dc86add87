// Pure helpers of the "what one update did" view: which packed rows to trace, where a completion's
// tokens sit in a packed log-prob row, and the traces built from the log-probs read before and after
// the update. Plain numbers, no tensors: the trainer runs the two forwards and calls these. The delta
// itself (after − before) lives beside the trace's type (src/schema/updateTrace.ts), so the page
// computes it with the same function.
import type { SampleRecord } from '../schema/metrics';
import type { UpdateTrace } from '../schema/updateTrace';

export { logprobDeltas, sequenceDelta } from '../schema/updateTrace';

/**
 * The log-probs of a completion's tokens out of one row of a [W − 1] log-prob matrix whose row holds
 * the prompt from 0 and the completion from `start` (packSequences' layout): token k of the completion
 * is ids[start + k], predicted at position start + k − 1.
 */
export function completionLogprobs(row: readonly number[], start: number, length: number): number[] {
  if (start < 1 || start + length - 1 > row.length) {
    throw new RangeError(`a completion of ${length} tokens from ${start} does not fit a log-prob row of width ${row.length}.`);
  }
  return row.slice(start - 1, start - 1 + length);
}

/** Indices into the trained rows of the first `groups` groups' rows (rows holds sample indices, G per group, in order). */
export function tracedRows(rows: readonly number[], groupSize: number, groups: number): number[] {
  const chosen = [...new Set(rows.map((i) => Math.floor(i / groupSize)))].slice(0, Math.max(0, groups));
  return rows.flatMap((sample, r) => (chosen.includes(Math.floor(sample / groupSize)) ? [r] : []));
}

/** What the trainer hands buildTraces: per traced row, its sample and packed layout, and its two log-prob rows. */
export interface TracedRow {
  /** The sample this row trained on. */
  sample: SampleRecord;
  /** Prompt token ids. */
  promptIds: number[];
  /** Completion token ids. */
  ids: number[];
  /** Each completion token decoded alone. */
  tokens: string[];
  /** Index of the first completion token in the packed row. */
  start: number;
  /** Log-prob row [W − 1] before the update. */
  before: number[];
  /** Log-prob row [W − 1] after the update. */
  after: number[];
}

/** One UpdateTrace per group, completions in sample order. */
export function buildTraces(step: number, rows: readonly TracedRow[], applied: boolean): UpdateTrace[] {
  const byGroup = new Map<number, UpdateTrace>();
  for (const r of rows) {
    const g = r.sample.group;
    let t = byGroup.get(g);
    if (!t) byGroup.set(g, (t = { step, group: g, prompt: r.sample.prompt, promptIds: r.promptIds, completions: [], applied }));
    t.completions.push({
      tokens: r.tokens,
      ids: r.ids,
      reward: r.sample.reward,
      advantage: r.sample.advantage,
      before: completionLogprobs(r.before, r.start, r.ids.length),
      after: completionLogprobs(r.after, r.start, r.ids.length),
    });
  }
  return [...byGroup.values()];
}
