// Metric names the page reads from `metrics` events. The engine should emit these keys (TRL-style names).
export const METRIC = {
  /** Mean reward over the step's scored samples. */
  rewardMean: 'reward_mean',
  rewardStd: 'reward_std',
  rewardMin: 'reward_min',
  rewardMax: 'reward_max',
  /** Fraction of groups whose rewards are all equal (no GRPO signal). */
  zeroStdFraction: 'frac_reward_zero_std',
  /** Fraction of completions cut at max_completion_length. */
  truncatedFraction: 'clipped_ratio',
  /** Fraction of samples the grader could not score (errors and time-outs). */
  graderErrorFraction: 'grader_error_rate',
  /** Mean reward on the validation split (only on evaluation steps). */
  validationReward: 'eval_reward',
} as const;
