// What one RL update did to one group: each completion's tokens with their log-probability under the
// policy that sampled them (before the step's update) and under the updated policy (after it). Plain
// data (structured-clone and JSON safe): the trainer builds it (src/rl/updateDelta.ts), the worker
// keeps it, the page draws it (src/ui/update).

/** One completion of a traced group. */
export interface TracedCompletion {
  /** Each generated token's text (decoded alone; the EOS token when one stopped it). */
  tokens: string[];
  /** Token ids, one per entry of `tokens`. */
  ids: number[];
  /** log p(token) under the policy before the update, one per token. */
  before: number[];
  /** log p(token) under the policy after the update, one per token. */
  after: number[];
  /** The grader's reward (null = unscorable). */
  reward: number | null;
  /** The advantage the update used for this completion. */
  advantage: number;
}

/** One group of one step, before and after that step's update. */
export interface UpdateTrace {
  /** The step (0-based, as in StepMetrics.step). */
  step: number;
  /** Index of the group in the step (as SampleRecord.group). */
  group: number;
  /** The prompt text. */
  prompt: string;
  /** The prompt's token ids as the model saw them (a recompute feeds promptIds + a completion's ids). */
  promptIds: number[];
  /** Its G completions, in sample order. */
  completions: TracedCompletion[];
  /** False when the step's update was skipped (non-finite loss): then after equals before. */
  applied: boolean;
}

/** Per token, after − before (nats): > 0 the update made the token more likely, < 0 less. */
export function logprobDeltas(c: Pick<TracedCompletion, 'before' | 'after'>): number[] {
  if (c.before.length !== c.after.length)
    throw new RangeError(`before has ${c.before.length} log-probs but after has ${c.after.length}; they must cover the same tokens.`);
  return c.before.map((b, i) => c.after[i] - b);
}

/** The change of the whole completion's log-probability (Σ of the token deltas, nats). */
export function sequenceDelta(c: Pick<TracedCompletion, 'before' | 'after'>): number {
  return logprobDeltas(c).reduce((a, d) => a + d, 0);
}
