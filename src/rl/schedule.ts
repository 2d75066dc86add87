// Learning-rate schedules: linear warm-up from 0, then constant, linear decay to 0, or cosine decay to 0.
// The formulas and the step convention follow Hugging Face transformers' get_*_schedule_with_warmup
// (what TRL uses), so `warmup_ratio` and `lr_scheduler_type` mean the same thing in both:
//   warmup      = ceil(warmup_ratio · total)
//   step < warmup:  lr · step / max(1, warmup)
//   otherwise, with progress = (step − warmup) / max(1, total − warmup):
//     constant  lr
//     linear    lr · max(0, 1 − progress)
//     cosine    lr · max(0, ½ (1 + cos(π · progress)))
// `step` counts the updates already applied: the first update uses step 0 (so with warm-up it has lr 0,
// exactly as in transformers).
import type { LrSchedulerType, RLConfig } from './config';

export interface ScheduleConfig {
  /** Peak learning rate. */
  learningRate: number;
  /** Shape after warm-up. */
  type: LrSchedulerType;
  /** Number of warm-up steps. */
  warmupSteps: number;
  /** Total number of updates of the run. */
  totalSteps: number;
}

/** Warm-up length from a ratio of the run, rounded up as transformers does. */
export function warmupSteps(warmupRatio: number, totalSteps: number): number {
  return Math.ceil(warmupRatio * totalSteps);
}

/** The schedule of an RLConfig. */
export function scheduleFromConfig(c: RLConfig): ScheduleConfig {
  return {
    learningRate: c.learning_rate,
    type: c.lr_scheduler_type,
    warmupSteps: warmupSteps(c.warmup_ratio, c.max_steps),
    totalSteps: c.max_steps,
  };
}

/** Learning rate for the update that follows `step` applied updates. */
export function lrAt(step: number, s: ScheduleConfig): number {
  if (step < s.warmupSteps) return (s.learningRate * step) / Math.max(1, s.warmupSteps);
  if (s.type === 'constant') return s.learningRate;
  const progress = (step - s.warmupSteps) / Math.max(1, s.totalSteps - s.warmupSteps);
  if (s.type === 'linear') return s.learningRate * Math.max(0, 1 - progress);
  return s.learningRate * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
}
