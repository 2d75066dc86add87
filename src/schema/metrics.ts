// The shapes a training step produces, shared by rl → worker → ui → storage → cli (plain data, no tfjs):
// one typed StepMetrics record per step (per-grader and per-class values nested, so a renamed metric is
// a compile error wherever it is read) and one SampleRecord per graded completion. Files and the CLI
// write a step flat, as they always did (`reward/<grader>`, `eval_reward/<class>`): flattenStepMetrics;
// records stored flat by older versions come back through stepMetricsFromFlat.

/** Reward statistics of one RL step (rl/metrics.ts rewardMetrics). */
export interface RewardMetrics {
  /** Mean of the non-null rewards of the step. */
  reward_mean: number | null;
  /** Unbiased std of the non-null rewards over the whole batch. */
  reward_std: number | null;
  /** Mean over groups with at least two valid rewards of the group std (TRL's "reward_std"). */
  reward_std_in_group: number | null;
  reward_min: number | null;
  reward_max: number | null;
  /** Mean score of each sub-grader over the samples where it returned a number. */
  reward_per_grader: Record<string, number | null>;
  /** Samples graded this step. */
  n_samples: number;
  /** Samples with a non-null reward. */
  n_valid: number;
  /** Fraction of groups whose valid rewards are all equal (or fewer than two): they give no GRPO gradient. */
  frac_groups_zero_std: number;
  /** Fraction of groups where at least one sample scored >= the success threshold ("somewhat good"). */
  frac_groups_any_success: number;
  /** Samples whose grader failed with an error. */
  grader_errors: number;
  /** Samples whose grader ran out of time. */
  grader_timeouts: number;
  completion_length_mean: number | null;
  completion_length_max: number | null;
  /** Fraction of completions cut at max_completion_length. */
  frac_truncated: number;
  /** Mean and unbiased std of the advantages of the valid samples. */
  advantage_mean: number | null;
  advantage_std: number | null;
}

/** The policy loss's metrics as plain numbers (rl/loss.ts), snake_case as the CLI prints them (TRL's names in brackets). */
export interface LossMetricValues {
  policy_loss: number;
  /** [kl] */
  kl: number | null;
  /** [clip_ratio/low_mean] */
  clip_ratio_low: number;
  /** [clip_ratio/high_mean] */
  clip_ratio_high: number;
  /** [clip_ratio/region_mean] */
  clip_ratio_region: number;
  ratio_mean: number;
  /** [entropy] */
  entropy: number | null;
}

/** Optimiser, timing and rollout figures of one step (rl/stepMetrics.ts, rl/trainer.ts). */
export interface StepExtras {
  /** Mean token cross-entropy of an SFT step (null when non-finite). */
  sft_loss: number | null;
  /** Global gradient norm before clipping (null when non-finite). */
  grad_norm: number | null;
  /** 1 when the update was skipped (non-finite loss or gradient), else 0. */
  update_skipped: number;
  /** Learning rate used by the step. */
  learning_rate: number;
  /** Milliseconds spent sampling, grading, training, and the three together. */
  sampling_ms: number;
  grading_ms: number;
  training_ms: number;
  step_ms: number;
  /** Generated tokens per second of sampling (null when sampling took no time). */
  tokens_per_s: number | null;
  /** Groups the update trained on (dynamic sampling may drop some). */
  groups_trained: number;
  /** Extra sampling rounds of dynamic sampling. */
  refill_rounds: number;
  /** Completion tokens in the update. */
  train_tokens: number;
  /** 1 when the NaN guard restored the last good weights after this step. */
  weights_restored: number;
  /** Samples whose grader gave no valid score (error, time-out, NaN, a non-number), whichever way
   *  invalid_reward counted them (left out, or as 0). */
  invalid: number;
  /** Greedy mean reward on the validation split (evaluation steps only). */
  eval_reward_mean: number | null;
  /** The same per class of item (Task.itemClass), when the task has classes. */
  eval_reward_by_class: Record<string, number>;
}

/**
 * Everything measured in one step. Only `step` is always there: an SFT step has no reward statistics,
 * a step that did not train has no loss, and validation figures appear on evaluation steps only.
 */
export type StepMetrics = { step: number } & Partial<RewardMetrics> & Partial<LossMetricValues> & Partial<StepExtras>;

/** A step as files and the CLI write it: one number (or null) per key. */
export type FlatStepMetrics = Record<string, number | null>;

/** The flat key prefix of each nested field. */
const NESTED = { reward_per_grader: 'reward/', eval_reward_by_class: 'eval_reward/' } as const satisfies Partial<
  Record<keyof StepMetrics, string>
>;

function isNumberRecord(x: unknown): x is Record<string, number | null> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Object.values(x).every((v) => v === null || typeof v === 'number');
}

/** The flat form: nested values become `reward/<grader>` and `eval_reward/<class>` keys, in place. */
export function flattenStepMetrics(m: StepMetrics): FlatStepMetrics {
  const out: FlatStepMetrics = {};
  for (const [k, v] of Object.entries(m) as [string, unknown][]) {
    // entries of a plain data record
    const prefix = k === 'reward_per_grader' || k === 'eval_reward_by_class' ? NESTED[k] : null;
    if (prefix !== null && isNumberRecord(v)) for (const [name, x] of Object.entries(v)) out[prefix + name] = x;
    else if (v === null || typeof v === 'number') out[k] = v;
  }
  return out;
}

/**
 * A step record in the flat form (what Cherry stored before StepMetrics was typed, and what metrics.jsonl
 * holds) as StepMetrics: `reward/<grader>` and `eval_reward/<class>` keys nested again; values that are
 * neither numbers nor null dropped. `fallbackStep` is used when the record has no numeric `step`.
 */
export function stepMetricsFromFlat(flat: Record<string, unknown>, fallbackStep: number): StepMetrics {
  const out: Record<string, unknown> = {};
  const perGrader: Record<string, number | null> = {};
  const byClass: Record<string, number> = {};
  for (const [k, v] of Object.entries(flat)) {
    if (k.startsWith(NESTED.eval_reward_by_class)) {
      if (typeof v === 'number') byClass[k.slice(NESTED.eval_reward_by_class.length)] = v;
    } else if (k.startsWith(NESTED.reward_per_grader)) {
      if (v === null || typeof v === 'number') perGrader[k.slice(NESTED.reward_per_grader.length)] = v;
    } else if (k === 'reward_per_grader' || k === 'eval_reward_by_class') {
      if (isNumberRecord(v)) out[k] = v;
    } else if (v === null || typeof v === 'number') out[k] = v;
  }
  if (Object.keys(perGrader).length > 0)
    out.reward_per_grader = { ...(isNumberRecord(out.reward_per_grader) ? out.reward_per_grader : {}), ...perGrader };
  if (Object.keys(byClass).length > 0) out.eval_reward_by_class = byClass;
  if (typeof out.step !== 'number') out.step = fallbackStep;
  return out as StepMetrics; // step is a number and every other field a number, null or number record, as StepMetrics' fields are
}

/** One graded completion of a step, as the samples table and metrics.jsonl show it. */
export interface SampleRecord {
  /** Step that sampled it (0-based count of steps before it). */
  step: number;
  /** Index of its prompt's group in the step (groups of num_generations samples). */
  group: number;
  /** Prompt text. */
  prompt: string;
  /** Completion text (special tokens dropped). */
  completion: string;
  /** Grader reward; null when the grader failed or timed out on this sample. */
  reward: number | null;
  /** Scores of named sub-graders (multi graders). */
  sub_rewards: Record<string, number | null>;
  /** Whatever the grader returned as details. */
  details?: unknown;
  /** The grader's error message, or null. */
  error: string | null;
  /** 'timeout' or 'error' when reward is null. */
  error_kind: 'timeout' | 'error' | null;
  /** Advantage the update used (0 for null rewards and zero-variance groups). */
  advantage: number;
  /** Completion tokens generated (the EOS token included when one ended it). */
  length: number;
  /** True when generation hit max_completion_length. */
  truncated: boolean;
  /** False when the sample's group was dropped by dynamic sampling (it did not train). */
  trained: boolean;
}
