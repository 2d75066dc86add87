// One StepMetrics record per step (src/schema/metrics.ts; one JSON line of the CLI, flattened): the
// reward statistics, the loss metrics (averaged over the num_iterations passes), the optimizer's
// report, the learning rate, and where the step's time went.
import type { RewardMetrics } from './metrics';
import type { LossMetricValues } from './loss';
import type { StepReport } from './optim';
import type { StepMetrics } from '../schema/metrics';

/** Wall time of the parts of a step and the tokens it generated. */
export interface StepTiming {
  /** Milliseconds spent sampling completions. */
  sampling_ms: number;
  /** Milliseconds spent waiting for graders. */
  grading_ms: number;
  /** Milliseconds spent in forward/backward passes and updates. */
  training_ms: number;
  /** Completion tokens generated this step. */
  generated_tokens: number;
}

export interface StepParts {
  step: number;
  reward: RewardMetrics;
  /** One entry per optimisation pass (num_iterations); empty for a step that did not train. */
  loss: readonly LossMetricValues[];
  /** The optimizer's report of the last pass, or null. */
  optim: StepReport | null;
  learningRate: number;
  timing?: StepTiming;
  /** Samples graded without a valid score (countInvalid). */
  invalid?: number;
}

/** Samples with no valid score: a null reward (invalid_reward "excluded") or one turned into 0 ("zero"). */
export function countInvalid(grades: readonly { reward: number | null; invalid?: boolean }[]): number {
  return grades.filter((g) => g.reward === null || g.invalid === true).length;
}

/** Mean of each field over the passes; a field null in any pass is null. */
export function meanLossMetrics(passes: readonly LossMetricValues[]): LossMetricValues | null {
  if (passes.length === 0) return null;
  const mean = (f: (m: LossMetricValues) => number | null): number | null => {
    let s = 0;
    for (const m of passes) {
      const v = f(m);
      if (v === null) return null;
      s += v;
    }
    return s / passes.length;
  };
  return {
    policy_loss: mean((m) => m.policy_loss) ?? 0,
    kl: mean((m) => m.kl),
    clip_ratio_low: mean((m) => m.clip_ratio_low) ?? 0,
    clip_ratio_high: mean((m) => m.clip_ratio_high) ?? 0,
    clip_ratio_region: mean((m) => m.clip_ratio_region) ?? 0,
    ratio_mean: mean((m) => m.ratio_mean) ?? 0,
    entropy: mean((m) => m.entropy),
  };
}

/** The step's record (sub-grader means nested in reward_per_grader). */
export function composeStepMetrics(p: StepParts): StepMetrics {
  const out: StepMetrics = { step: p.step, ...p.reward };
  if (p.invalid !== undefined) out.invalid = p.invalid;
  const loss = meanLossMetrics(p.loss);
  if (loss) Object.assign(out, loss);
  if (p.optim) {
    out.grad_norm = Number.isFinite(p.optim.gradNorm) ? p.optim.gradNorm : null;
    out.update_skipped = p.optim.applied ? 0 : 1;
  }
  out.learning_rate = p.learningRate;
  if (p.timing) {
    const t = p.timing;
    const total = t.sampling_ms + t.grading_ms + t.training_ms;
    Object.assign(out, { sampling_ms: t.sampling_ms, grading_ms: t.grading_ms, training_ms: t.training_ms, step_ms: total });
    out.tokens_per_s = t.sampling_ms > 0 ? (t.generated_tokens * 1000) / t.sampling_ms : null;
  }
  return out;
}
