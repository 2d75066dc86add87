// Reading a metric out of a step record (pure). Names are the engine's (src/rl/metrics.ts,
// stepMetrics.ts), as listed in metricKeys.ts.
import type { MetricPoint } from '../store';
import { METRIC } from '../metricKeys';

/** A finite number stored under the first of `keys` that has one, else null. */
export function pick(p: MetricPoint, ...keys: string[]): number | null {
  for (const k of keys) {
    const v = p[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

/** Named readers for every metric the charts and diagnostics use. */
export const read = {
  rewardMean: (p: MetricPoint) => pick(p, METRIC.rewardMean),
  rewardStd: (p: MetricPoint) => pick(p, METRIC.rewardStd),
  rewardMin: (p: MetricPoint) => pick(p, METRIC.rewardMin),
  rewardMax: (p: MetricPoint) => pick(p, METRIC.rewardMax),
  /** Mean reward on the validation split (present on evaluation steps only). */
  validation: (p: MetricPoint) => pick(p, METRIC.validationReward),
  zeroStd: (p: MetricPoint) => pick(p, METRIC.zeroStdFraction),
  anySuccess: (p: MetricPoint) => pick(p, 'frac_groups_any_success'),
  truncated: (p: MetricPoint) => pick(p, METRIC.truncatedFraction),
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
  /**
   * Fraction of samples the grader could not score: (grader_errors + grader_timeouts) / n_samples from
   * the trainer, or a ready-made rate.
   */
  graderErrorRate: (p: MetricPoint): number | null => {
    const rate = pick(p, METRIC.graderErrorFraction);
    if (rate !== null) return rate;
    const n = pick(p, 'n_samples'), e = pick(p, 'grader_errors'), t = pick(p, 'grader_timeouts');
    if (n === null || n === 0 || (e === null && t === null)) return null;
    return ((e ?? 0) + (t ?? 0)) / n;
  },
} as const;

/** The names after `prefix` of the keys that start with it in any of the points, sorted. */
function namesAfter(prefix: string, points: readonly MetricPoint[]): string[] {
  const names = new Set<string>();
  for (const p of points) {
    for (const k of Object.keys(p)) if (k.startsWith(prefix)) names.add(k.slice(prefix.length));
  }
  return [...names].sort();
}

/** Names of the sub-graders that appear as `reward/<name>` in any of the points, sorted. */
export function subGraderNames(points: readonly MetricPoint[]): string[] {
  return namesAfter('reward/', points);
}

/** Classes of items evaluated on validation steps, `eval_reward/<class>` (Task.itemClass), sorted. */
export function itemClassNames(points: readonly MetricPoint[]): string[] {
  return namesAfter('eval_reward/', points);
}
