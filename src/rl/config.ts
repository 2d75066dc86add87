// RLConfig: every knob of Cherry's RFT engine in one typed object. Names and meanings follow TRL's
// GRPOConfig (https://huggingface.co/docs/trl/grpo_trainer) where the two overlap, so a setting learnt
// here carries over to TRL and back; defaults differ from TRL only where Cherry's tiny built-in models
// need it (each such default says why). `algo` picks a preset for the algorithm-specific fields
// (loss_type, scale_rewards, epsilon_high, dynamic_sampling); fields the caller sets win over the preset.
import { nearestName } from './names';

export type Algo = 'grpo' | 'dr_grpo' | 'dapo' | 'rloo' | 'reinforce' | 'sft';
export type LossType = 'grpo' | 'dr_grpo' | 'dapo' | 'bnpo';
export type ScaleRewards = 'group' | 'batch' | 'none';
export type LrSchedulerType = 'constant' | 'linear' | 'cosine';

export const ALGOS: readonly Algo[] = ['grpo', 'dr_grpo', 'dapo', 'rloo', 'reinforce', 'sft'];
export const LOSS_TYPES: readonly LossType[] = ['grpo', 'dr_grpo', 'dapo', 'bnpo'];
export const SCALE_REWARDS: readonly ScaleRewards[] = ['group', 'batch', 'none'];
export const LR_SCHEDULER_TYPES: readonly LrSchedulerType[] = ['constant', 'linear', 'cosine'];

export interface RLConfig {
  /** Algorithm: GRPO and its variants (dr_grpo, dapo), RLOO, REINFORCE with a mean baseline, or plain SFT. */
  algo: Algo;
  /** Optimiser steps to run (TRL: max_steps). */
  max_steps: number;
  /** Prompts per step; each gets `num_generations` completions (TRL: per_device_train_batch_size / G).
   *  On arithmetic's 60 steps, 8 prompts give +0.23..+0.28 greedy (seeds 1-3); 32 gave +0.30 (seed 1)
   *  at ~3x the time per step (a less noisy gradient); see BENCHMARKS.md, "RFT engine". */
  batch_prompts: number;
  /** Completions sampled per prompt, the group size G (TRL default 8). */
  num_generations: number;
  /** Peak learning rate. TRL defaults to 1e-6 for billion-parameter models; tiny models need far more,
   *  and a prototype collapsed at 1e-3 but was stable at 1e-4..3e-4. On arithmetic (60 steps) 2e-4
   *  beat 2e-5, 5e-5, 1e-4 and 3e-4, with or without warm-up (BENCHMARKS.md, "RFT engine"). */
  learning_rate: number;
  /** Learning-rate shape after warm-up: constant, linear decay to 0, or cosine decay to 0 (TRL: linear). */
  lr_scheduler_type: LrSchedulerType;
  /** Fraction of max_steps spent warming the learning rate up linearly from 0 (TRL default 0). */
  warmup_ratio: number;
  /** Decoupled (AdamW) weight decay per step, as a multiple of the learning rate (TRL default 0). */
  weight_decay: number;
  /** Adam β1, the decay of the running mean of gradients. */
  adam_beta1: number;
  /** Adam β2, the decay of the running mean of squared gradients. */
  adam_beta2: number;
  /** Adam ε, added to the denominator for numerical safety. */
  adam_epsilon: number;
  /** Clip the global gradient norm to this value before the update; 0 turns clipping off. On the built-in
   *  models the policy-gradient norm is ~1.4..6, so 1.0 clips every step; Adam is invariant to a constant
   *  gradient scale, so the value hardly matters (0.5 gave the identical arithmetic run); what clipping
   *  does here is give every step's gradient the same size (off: +0.11 instead of +0.19, one seed). */
  max_grad_norm: number;
  /** KL penalty weight to the frozen starting model (k3 estimator). 0 loads no reference model. */
  beta: number;
  /** Lower clip range of the importance ratio: ratios below 1 − epsilon stop pulling down. */
  epsilon: number;
  /** Upper clip range: ratios above 1 + epsilon_high stop pulling up (DAPO "clip-higher" uses 0.28). */
  epsilon_high: number;
  /** Optimisation passes over each sampled batch (μ in the GRPO paper); >1 reuses the old log-probs. */
  num_iterations: number;
  /** How the per-token loss is averaged: per sequence then per batch (grpo), over all tokens (dapo,
   *  bnpo), or summed and divided by batch × max_completion_length (dr_grpo). TRL defaults to
   *  'dapo'; here each algo presets its own (grpo → 'grpo'). */
  loss_type: LossType;
  /** Divide advantages by the reward std of the group, of the whole batch, or not at all (Dr. GRPO). */
  scale_rewards: ScaleRewards;
  /** DAPO dynamic sampling: drop groups whose rewards are all equal (no signal) and sample more. */
  dynamic_sampling: boolean;
  /** With dynamic_sampling, the most extra sampling rounds per step before training on what is there. */
  max_refill_rounds: number;
  /** Leave completions cut at max_completion_length out of the loss (DAPO's overlong filtering). */
  mask_truncated_completions: boolean;
  /** Sampling temperature for training rollouts. */
  temperature: number;
  /** Nucleus sampling: keep the smallest set of tokens whose probability reaches top_p (1 = off). */
  top_p: number;
  /** Keep only the k most likely tokens when sampling (0 = off). */
  top_k: number;
  /** Most tokens generated per completion; longer ones are cut and counted as truncated
   *  (TRL default 256; Cherry's built-in tasks have short answers). */
  max_completion_length: number;
  /** Seed for every random choice: prompt order, sampling, initialisation. */
  seed: number;
  /** Validate (greedy) on the held-out split before a fresh run's first update and every this many steps after
   *  (0 = never during the run; `cherry train` still evaluates the test split before and after). */
  eval_interval: number;
  /** Save a checkpoint every this many steps (0 = only on pause and at the end). */
  checkpoint_interval: number;
  /** Consecutive non-finite (NaN/Inf) steps after which the last good weights are restored. */
  max_bad_steps: number;
  /** Pause the run (instead of training on) when the grader fails on any sample: an error or a
   *  time-out. Failed samples are always left out of the statistics and the loss either way. */
  pause_on_grader_error: boolean;
}

export const DEFAULT_CONFIG: RLConfig = {
  algo: 'grpo',
  max_steps: 60,
  batch_prompts: 8,
  num_generations: 8,
  learning_rate: 2e-4,
  lr_scheduler_type: 'constant',
  warmup_ratio: 0,
  weight_decay: 0,
  adam_beta1: 0.9,
  adam_beta2: 0.999,
  adam_epsilon: 1e-8,
  max_grad_norm: 1.0,
  beta: 0,
  epsilon: 0.2,
  epsilon_high: 0.2,
  num_iterations: 1,
  loss_type: 'grpo',
  scale_rewards: 'group',
  dynamic_sampling: false,
  max_refill_rounds: 3,
  mask_truncated_completions: false,
  temperature: 1.0,
  top_p: 1.0,
  top_k: 0,
  max_completion_length: 32,
  seed: 42,
  eval_interval: 10,
  checkpoint_interval: 0,
  max_bad_steps: 3,
  pause_on_grader_error: false,
};

/** The fields each algorithm sets unless the caller sets them explicitly. */
export const ALGO_PRESETS: Record<Algo, Partial<RLConfig>> = {
  grpo: { loss_type: 'grpo', scale_rewards: 'group' },
  dr_grpo: { loss_type: 'dr_grpo', scale_rewards: 'none' },
  dapo: { loss_type: 'dapo', scale_rewards: 'group', epsilon_high: 0.28, dynamic_sampling: true },
  rloo: { loss_type: 'grpo', scale_rewards: 'none' },
  reinforce: { loss_type: 'grpo', scale_rewards: 'none' },
  sft: {},
};

/** One line per field, for the UI's tooltips and the README's table. */
export const CONFIG_DOCS: Record<keyof RLConfig, string> = {
  algo: 'Algorithm: grpo, dr_grpo (no std scaling, length-unbiased loss), dapo (clip-higher, token-level loss, dynamic sampling), rloo (leave-one-out baseline), reinforce (batch-mean baseline), sft (imitate the reference answers).',
  max_steps: 'Number of optimiser steps to run.',
  batch_prompts: 'Prompts sampled per step; each gets num_generations completions.',
  num_generations: 'Group size G: completions per prompt, compared with each other to form advantages.',
  learning_rate: 'Peak learning rate. Tiny models: 1e-4..3e-4 is stable; 1e-3 collapsed a prototype.',
  lr_scheduler_type: 'Shape of the learning rate after warm-up: constant, linear decay to 0, or cosine decay to 0.',
  warmup_ratio: 'Fraction of max_steps over which the learning rate ramps up from 0.',
  weight_decay: 'AdamW decoupled weight decay (0 = plain Adam).',
  adam_beta1: 'Adam β1: how much of the previous gradient direction is kept.',
  adam_beta2: 'Adam β2: how slowly the per-parameter step size adapts.',
  adam_epsilon: 'Adam ε: keeps the update finite when gradients are tiny.',
  max_grad_norm: 'Clip the gradient so its global L2 norm is at most this (0 = no clipping).',
  beta: 'KL penalty to the starting model (k3 estimator). 0 = no penalty and no reference model in memory.',
  epsilon: 'Clip range below: a token whose probability ratio fell under 1 − ε stops being pushed down.',
  epsilon_high: 'Clip range above: a token whose ratio rose over 1 + ε_high stops being pushed up (DAPO: 0.28).',
  num_iterations: 'Passes over each sampled batch (μ). Above 1, the ratio to the sampling-time policy matters.',
  loss_type: 'Loss averaging: grpo (per sequence, then batch), dapo/bnpo (per token), dr_grpo (sum / (batch × max length)).',
  scale_rewards: 'Divide advantages by the reward std of each group, of the batch, or not at all.',
  dynamic_sampling: 'Drop groups whose rewards are all equal (they carry no gradient) and sample more prompts.',
  max_refill_rounds: 'With dynamic sampling, the most extra sampling rounds per step.',
  mask_truncated_completions: 'Exclude completions cut at the length limit from the loss.',
  temperature: 'Sampling temperature for training rollouts (1 = the model\'s own distribution).',
  top_p: 'Nucleus sampling threshold (1 = off).',
  top_k: 'Sample only among the k most likely tokens (0 = off).',
  max_completion_length: 'Most tokens generated per completion.',
  seed: 'Seed for all randomness; the same seed and settings repeat a run exactly.',
  eval_interval: 'Steps between validations on the held-out split; one also runs before the first update. 0 = none.',
  checkpoint_interval: 'Steps between checkpoints (0 = only on pause and at the end).',
  max_bad_steps: 'Consecutive NaN/Inf steps tolerated before the last good weights are restored.',
  pause_on_grader_error: 'Pause the run when the grader fails on a sample (error or time-out), so you can fix it; off = train on, leaving those samples out.',
};

/** A config field had a value outside its allowed range, or the field does not exist. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`RL config field '${field}' = ${JSON.stringify(value)} is invalid: expected ${allowed}.`);
    this.name = 'ConfigError';
  }
}

type Check = { kind: 'num'; min: number; max: number; int?: boolean; minOpen?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'bool' };

const num = (min: number, max: number, minOpen = false): Check => ({ kind: 'num', min, max, minOpen });
const int = (min: number, max: number): Check => ({ kind: 'num', min, max, int: true });

const CHECKS: Record<keyof RLConfig, Check> = {
  algo: { kind: 'enum', values: ALGOS },
  max_steps: int(1, 1_000_000),
  batch_prompts: int(1, 4096),
  num_generations: int(1, 1024),
  learning_rate: num(0, 1, true),
  lr_scheduler_type: { kind: 'enum', values: LR_SCHEDULER_TYPES },
  warmup_ratio: num(0, 1),
  weight_decay: num(0, 1),
  adam_beta1: num(0, 0.999999),
  adam_beta2: num(0, 0.99999999),
  adam_epsilon: num(0, 1, true),
  max_grad_norm: num(0, 1e6),
  beta: num(0, 100),
  epsilon: num(0, 1),
  epsilon_high: num(0, 10),
  num_iterations: int(1, 64),
  loss_type: { kind: 'enum', values: LOSS_TYPES },
  scale_rewards: { kind: 'enum', values: SCALE_REWARDS },
  dynamic_sampling: { kind: 'bool' },
  max_refill_rounds: int(0, 100),
  mask_truncated_completions: { kind: 'bool' },
  temperature: num(0, 100, true),
  top_p: num(0, 1, true),
  top_k: int(0, 1_000_000),
  max_completion_length: int(1, 100_000),
  seed: int(0, 4294967295),
  eval_interval: int(0, 1_000_000),
  checkpoint_interval: int(0, 1_000_000),
  max_bad_steps: int(1, 1000),
  pause_on_grader_error: { kind: 'bool' },
};

function describe(c: Check): string {
  if (c.kind === 'bool') return 'true or false';
  if (c.kind === 'enum') return `one of ${c.values.map((v) => `'${v}'`).join(', ')}`;
  const lo = c.minOpen ? `> ${c.min}` : `>= ${c.min}`;
  return `${c.int ? 'an integer' : 'a number'} ${lo} and <= ${c.max}`;
}

function valid(c: Check, v: unknown): boolean {
  if (c.kind === 'bool') return typeof v === 'boolean';
  if (c.kind === 'enum') return typeof v === 'string' && c.values.includes(v);
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  if (c.int && !Number.isInteger(v)) return false;
  return (c.minOpen ? v > c.min : v >= c.min) && v <= c.max;
}

const FIELDS = Object.keys(DEFAULT_CONFIG) as (keyof RLConfig)[]; // keys of a literal typed RLConfig

function isField(k: string): k is keyof RLConfig {
  return Object.prototype.hasOwnProperty.call(DEFAULT_CONFIG, k);
}

/**
 * Defaults, then the preset of the chosen algo, then the caller's fields; every field validated.
 * Unknown fields are an error (with the nearest known name), so a typo never silently does nothing.
 * An unset epsilon_high follows epsilon unless the algo preset sets it (TRL: epsilon_high=None).
 */
export function resolveConfig(partial: Partial<RLConfig> | Record<string, unknown> = {}): RLConfig {
  for (const k of Object.keys(partial)) {
    if (!isField(k)) {
      const near = nearestName(k, FIELDS);
      throw new ConfigError(k, partial[k as keyof typeof partial], `a known field${near ? ` (did you mean '${near}'?)` : ''}`);
    }
  }
  const given = new Map<keyof RLConfig, unknown>();
  for (const [k, v] of Object.entries(partial)) if (isField(k) && v !== undefined) given.set(k, v);
  const algo = given.get('algo') ?? DEFAULT_CONFIG.algo;
  if (!valid(CHECKS.algo, algo)) throw new ConfigError('algo', algo, describe(CHECKS.algo));
  const preset: Partial<RLConfig> = ALGO_PRESETS[algo as Algo]; // validated just above
  const out: Record<string, unknown> = { ...DEFAULT_CONFIG, ...preset };
  if (!given.has('epsilon_high') && preset.epsilon_high === undefined) {
    out.epsilon_high = given.get('epsilon') ?? DEFAULT_CONFIG.epsilon;
  }
  for (const [k, v] of given) out[k] = v;
  for (const f of FIELDS) {
    if (!valid(CHECKS[f], out[f])) throw new ConfigError(f, out[f], describe(CHECKS[f]));
  }
  const c = out as unknown as RLConfig; // every field of RLConfig was checked above
  const grouped = c.algo !== 'sft' && c.algo !== 'reinforce';
  if (grouped && c.num_generations < 2) {
    throw new ConfigError('num_generations', c.num_generations,
      `at least 2 for algo '${c.algo}': advantages compare samples of the same prompt, and a group of one has nothing to compare with`);
  }
  return c;
}

/** Which advantage estimator an algorithm uses. */
export function advantageKind(algo: Algo): 'grpo' | 'rloo' | 'reinforce' | 'none' {
  if (algo === 'rloo' || algo === 'reinforce') return algo;
  if (algo === 'sft') return 'none';
  return 'grpo';
}

/** The field table as Markdown (name, default, meaning), for the README and `cherry train --help`. */
export function configTableMarkdown(): string {
  const rows = FIELDS.map((f) => `| \`${f}\` | \`${JSON.stringify(DEFAULT_CONFIG[f])}\` | ${CONFIG_DOCS[f].replace(/\|/g, '\\|')} |`);
  return ['| field | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
