// What a sample is worth when its grader gives no valid score (an error, a timeout, a non-number, a judge
// that did not answer). Cherry's default, "excluded", keeps the reward null: the sample leaves its group's
// statistics and is shown as an error (TRL >= 1.6 does the same with None). OpenAI RFT instead counts such
// a sample as 0 ("zero"). Either way the error message stays on the result.
import type { GradeRequest, GradeResult, Grader } from './types';
import { INVALID_REWARDS, type InvalidReward } from '../schema/settings';

export type { InvalidReward };

/** The choices, default first (for a CLI flag, a select box, a config validator); the settings table's row. */
export const INVALID_REWARD_MODES: readonly InvalidReward[] = INVALID_REWARDS;

/** Applies the mode to one result: with "zero" a null reward becomes 0 and the result is marked `invalid`. */
export function applyInvalidReward(r: GradeResult, mode: InvalidReward): GradeResult {
  if (mode === 'excluded' || r.reward !== null) return r;
  return { ...r, reward: 0, invalid: true };
}

/** The grader with the mode applied to every result (the grader itself when the mode is "excluded"). */
export function withInvalidReward(grader: Grader, mode: InvalidReward): Grader {
  if (mode === 'excluded') return grader;
  return {
    name: grader.name,
    gradeBatch: async (requests: GradeRequest[]) => (await grader.gradeBatch(requests)).map((r) => applyInvalidReward(r, mode)),
    dispose: () => grader.dispose(),
  };
}
