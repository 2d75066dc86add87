// What a running Trainer tells its listener (the worker forwards these to the page; the CLI prints
// them): one flat metrics record per step, every sample of the step, validation results, and the
// guard's interventions. Plain data only (structured-clone safe, JSON safe), no tensors.

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

/** A flat record of numbers: the keys of composeStepMetrics plus the trainer's own (see trainer.ts). */
export type StepMetricsRecord = Record<string, number | null>;

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
  | { kind: 'metrics'; step: number; metrics: StepMetricsRecord }
  | { kind: 'samples'; step: number; samples: SampleRecord[] }
  | { kind: 'eval'; step: number; eval: EvalRecord }
  /** The NaN guard restored the last good weights after `failures` consecutive skipped updates. */
  | { kind: 'restored'; step: number; failures: number };

/** Receives events synchronously as they happen; must not throw. */
export type TrainerListener = (event: TrainerEvent) => void;
