// What a running Trainer tells its listener (the worker forwards these to the page; the CLI prints
// them): one StepMetrics record per step, every sample of the step, validation results, and the
// guard's interventions. Plain data only (structured-clone safe, JSON safe), no tensors; the record and
// sample shapes live in src/schema/metrics.ts, shared with the worker, the page, storage and the CLI.
import type { SampleRecord, StepMetrics } from './metrics';
import type { UpdateTrace } from './updateTrace';

export type { SampleRecord, StepMetrics };

/** One step's metrics record (the typed StepMetrics of src/schema/metrics.ts). */
export type StepMetricsRecord = StepMetrics;

/** Result of evaluating the policy on a held-out split. */
export interface EvalRecord {
  /** Steps completed when the evaluation ran. */
  step: number;
  /** Split evaluated. */
  split: 'validation' | 'test';
  /** Mean reward (nulls excluded). */
  reward_mean: number | null;
  /** Sampling temperature (0 = greedy). */
  temperature: number;
  /** Prompts evaluated. */
  n: number;
  /** Mean reward per class of item (Task.itemClass), when the task has classes. */
  by_class?: Record<string, number>;
}

export type TrainerEvent =
  | { kind: 'metrics'; step: number; metrics: StepMetrics }
  | { kind: 'samples'; step: number; samples: SampleRecord[] }
  | { kind: 'eval'; step: number; eval: EvalRecord }
  /** The NaN guard restored the last good weights after `failures` consecutive skipped updates. */
  | { kind: 'restored'; step: number; failures: number }
  /** What the step's update did to its traced groups (TrainerOptions.traceGroups > 0). */
  | { kind: 'update'; step: number; traces: UpdateTrace[] };

/** Receives events synchronously as they happen; must not throw. */
export type TrainerListener = (event: TrainerEvent) => void;
