// Reading a metric out of a step record (pure). The names are StepMetrics' own fields
// (src/schema/metrics.ts), so a metric renamed in the engine is a compile error here.
import type { MetricPoint } from '../store';

/** The fields of a step record that hold a number (or null). */
export type NumericMetric = { [K in keyof MetricPoint]-?: NonNullable<MetricPoint[K]> extends number ? K : never }[keyof MetricPoint];

function finite(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A finite number stored under the first of `keys` that has one, else null. */
export function pick(p: MetricPoint, ...keys: NumericMetric[]): number | null {
  for (const k of keys) {
    const v = finite(p[k]);
    if (v !== null) return v;
  }
  return null;
}

/** Named readers for every metric the charts and diagnostics use. */
export const read = {
  rewardMean: (p: MetricPoint) => pick(p, 'reward_mean'),
  rewardStd: (p: MetricPoint) => pick(p, 'reward_std'),
  rewardMin: (p: MetricPoint) => pick(p, 'reward_min'),
  rewardMax: (p: MetricPoint) => pick(p, 'reward_max'),
  /** Mean reward on the validation split (present on evaluation steps only). */
  validation: (p: MetricPoint) => pick(p, 'eval_reward_mean'),
  /** Validation reward of one class of items (Task.itemClass). */
  validationOf: (p: MetricPoint, itemClass: string) => finite(p.eval_reward_by_class?.[itemClass]),
  /** Mean score of one sub-grader (multi graders). */
  subGrader: (p: MetricPoint, name: string) => finite(p.reward_per_grader?.[name]),
  zeroStd: (p: MetricPoint) => pick(p, 'frac_groups_zero_std'),
  anySuccess: (p: MetricPoint) => pick(p, 'frac_groups_any_success'),
  truncated: (p: MetricPoint) => pick(p, 'frac_truncated'),
  lengthMean: (p: MetricPoint) => pick(p, 'completion_length_mean'),
  lengthMax: (p: MetricPoint) => pick(p, 'completion_length_max'),
  kl: (p: MetricPoint) => pick(p, 'kl'),
  entropy: (p: MetricPoint) => pick(p, 'entropy'),
  clipLow: (p: MetricPoint) => pick(p, 'clip_ratio_low'),
  clipHigh: (p: MetricPoint) => pick(p, 'clip_ratio_high'),
  clipRegion: (p: MetricPoint) => pick(p, 'clip_ratio_region'),
  policyLoss: (p: MetricPoint) => pick(p, 'policy_loss'),
  sftLoss: (p: MetricPoint) => pick(p, 'sft_loss'),
  tokensPerS: (p: MetricPoint) => pick(p, 'tokens_per_s'),
  samplingMs: (p: MetricPoint) => pick(p, 'sampling_ms'),
  gradingMs: (p: MetricPoint) => pick(p, 'grading_ms'),
  trainingMs: (p: MetricPoint) => pick(p, 'training_ms'),
  /** Samples graded this step. */
  samples: (p: MetricPoint) => pick(p, 'n_samples'),
  /** Samples with no valid grade, however invalid_reward counted them. */
  invalid: (p: MetricPoint) => pick(p, 'invalid'),
  /** Fraction of samples the grader could not score: (grader_errors + grader_timeouts) / n_samples. */
  graderErrorRate: (p: MetricPoint): number | null => {
    const n = pick(p, 'n_samples'),
      e = pick(p, 'grader_errors'),
      t = pick(p, 'grader_timeouts');
    if (n === null || n === 0 || (e === null && t === null)) return null;
    return ((e ?? 0) + (t ?? 0)) / n;
  },
} as const;

/** The keys of one nested record across the points, sorted. */
function namesIn(points: readonly MetricPoint[], nested: (p: MetricPoint) => Record<string, unknown> | undefined): string[] {
  const names = new Set<string>();
  for (const p of points) for (const k of Object.keys(nested(p) ?? {})) names.add(k);
  return [...names].sort();
}

/** Names of the sub-graders that have a mean in any of the points (reward_per_grader), sorted. */
export function subGraderNames(points: readonly MetricPoint[]): string[] {
  return namesIn(points, (p) => p.reward_per_grader);
}

/** Classes of items evaluated on validation steps (eval_reward_by_class, Task.itemClass), sorted. */
export function itemClassNames(points: readonly MetricPoint[]): string[] {
  return namesIn(points, (p) => p.eval_reward_by_class);
}
