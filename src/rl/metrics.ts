// Per-step statistics of what was sampled and how it was graded, from plain arrays. These are the
// numbers that explain why learning happens or does not: is the reward moving, how many groups carry
// no signal (all rewards equal), are graders failing, are completions hitting the length limit.
// Keys are snake_case because they are printed as JSON lines by the CLI and stored in metrics.jsonl.
import { unbiasedStd, type GroupStats } from './advantages';
import type { RewardMetrics } from '../schema/metrics';

export type { RewardMetrics };

/** What the trainer knows about one sample once it is graded. */
export interface SampleOutcome {
  /** Reward, or null when the grader failed or timed out. */
  reward: number | null;
  /** Scores of named sub-graders (multi graders); null where that sub-grader failed. */
  subRewards?: Record<string, number | null>;
  /** Why the reward is null: 'timeout', or 'error' for anything else (GradeResult.error_kind). */
  errorKind?: 'error' | 'timeout' | null;
  /** Completion tokens generated. */
  completionLength: number;
  /** True when generation stopped at max_completion_length (finish_reason 'length'). */
  truncated: boolean;
}

/** mean / unbiased std / min / max of a list; all null when the list is empty. */
export interface Summary {
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
}

export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) return { mean: null, std: null, min: null, max: null };
  let s = 0,
    lo = Infinity,
    hi = -Infinity;
  for (const x of xs) {
    s += x;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return { mean: s / xs.length, std: unbiasedStd([...xs]), min: lo, max: hi };
}

/** Inputs whose lengths disagree. */
export class MetricsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsInputError';
  }
}

/**
 * Step metrics from the samples (flat, group by group), their groups' statistics and advantages.
 * `successThreshold`: the reward that counts as a success for frac_groups_any_success (default 1).
 */
export function rewardMetrics(
  samples: readonly SampleOutcome[],
  groups: readonly GroupStats[],
  advantages: readonly number[],
  successThreshold = 1,
): RewardMetrics {
  if (advantages.length !== samples.length) {
    throw new MetricsInputError(`${advantages.length} advantages for ${samples.length} samples; pass one per sample.`);
  }
  const groupTotal = groups.reduce((s, g) => s + g.n, 0);
  if (groupTotal !== samples.length) {
    throw new MetricsInputError(`groups cover ${groupTotal} samples but ${samples.length} were given.`);
  }
  const rewards = samples.map((s) => s.reward).filter((r): r is number => r !== null);
  const r = summarize(rewards);

  const perGrader: Record<string, number[]> = {};
  for (const s of samples) {
    for (const [name, v] of Object.entries(s.subRewards ?? {})) {
      perGrader[name] ??= [];
      if (v !== null) perGrader[name].push(v);
    }
  }
  const reward_per_grader: Record<string, number | null> = {};
  for (const [name, vs] of Object.entries(perGrader)) reward_per_grader[name] = summarize(vs).mean;

  let anySuccess = 0,
    offset = 0;
  for (const g of groups) {
    const grp = samples.slice(offset, offset + g.n);
    if (grp.some((s) => s.reward !== null && s.reward >= successThreshold)) anySuccess++;
    offset += g.n;
  }
  const spread = groups.filter((g) => g.nValid >= 2).map((g) => g.std);
  const lengths = summarize(samples.map((s) => s.completionLength));
  const adv = summarize(advantages.filter((_, i) => samples[i].reward !== null));
  const nG = groups.length;
  return {
    reward_mean: r.mean,
    reward_std: r.std,
    reward_std_in_group: summarize(spread).mean,
    reward_min: r.min,
    reward_max: r.max,
    reward_per_grader,
    n_samples: samples.length,
    n_valid: rewards.length,
    frac_groups_zero_std: nG ? groups.filter((g) => g.zeroStd).length / nG : 0,
    frac_groups_any_success: nG ? anySuccess / nG : 0,
    grader_errors: samples.filter((s) => s.reward === null && s.errorKind !== 'timeout').length,
    grader_timeouts: samples.filter((s) => s.reward === null && s.errorKind === 'timeout').length,
    completion_length_mean: lengths.mean,
    completion_length_max: lengths.max,
    frac_truncated: samples.length ? samples.filter((s) => s.truncated).length / samples.length : 0,
    advantage_mean: adv.mean,
    advantage_std: adv.std,
  };
}
