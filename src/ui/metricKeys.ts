// Metric names the page reads from `metrics` events: the engine's own keys (src/rl/metrics.ts,
// src/rl/stepMetrics.ts, src/rl/trainer.ts), so the charts, the CLI's JSON lines and metrics.jsonl agree.
export const METRIC = {
  /** Mean reward over the step's scored samples. */
  rewardMean: 'reward_mean',
  /** Unbiased std of the step's scored rewards (whole batch). */
  rewardStd: 'reward_std',
  rewardMin: 'reward_min',
  rewardMax: 'reward_max',
  /** Fraction of groups whose rewards are all equal (no GRPO signal). */
  zeroStdFraction: 'frac_groups_zero_std',
  /** Fraction of groups where at least one sample succeeded ("somewhat good"). */
  anySuccessFraction: 'frac_groups_any_success',
  /** Fraction of completions cut at max_completion_length. */
  truncatedFraction: 'frac_truncated',
  /**
   * Fraction of samples the grader could not score (errors and time-outs). Derived on the page
   * (engine.ts withDerived) from the engine's grader_errors + grader_timeouts over n_samples.
   */
  graderErrorFraction: 'grader_error_fraction',
  /** Greedy mean reward on the validation split (only on evaluation steps, every eval_interval). */
  validationReward: 'eval_reward_mean',
  /** KL to the reference model (null when beta = 0: no reference kept). */
  kl: 'kl',
  /** Mean token entropy of the sampled completions. */
  entropy: 'entropy',
  completionLengthMean: 'completion_length_mean',
  /** Fraction of tokens whose ratio was clipped below / above. */
  clipLow: 'clip_ratio_low',
  clipHigh: 'clip_ratio_high',
  /** Generated tokens per second of sampling. */
  tokensPerSecond: 'tokens_per_s',
  /** Where the step's time went, ms. */
  samplingMs: 'sampling_ms',
  gradingMs: 'grading_ms',
  trainingMs: 'training_ms',
  stepMs: 'step_ms',
} as const;
