// Every RL setting defined ONCE: one row per field of RLConfig with its default, its check, its doc
// line, its TRL and OpenAI mapping, whether it may change during a run, and its control on the page.
// RLConfig, DEFAULT_CONFIG, the checks of resolveConfig (rlConfig.ts), the exporters' mapping table
// (export/hyperparams.ts), the live-update rule (rl/liveConfig.ts), the Hyperparameters panel and the
// share link's fields (export/urlState.ts: a number, bool or enum row is written as such) all read this
// table, so a new setting is one row here plus what the compiler points to. Plain data, no tfjs: the
// page imports it too. Names and meanings follow TRL's GRPOConfig
// (https://huggingface.co/docs/trl/grpo_trainer) where the two overlap; defaults differ from TRL only
// where Cherry's tiny built-in models need it (each such default says why).

export const ALGOS = ['grpo', 'dr_grpo', 'dapo', 'rloo', 'reinforce', 'sft'] as const;
export const LOSS_TYPES = ['grpo', 'dr_grpo', 'dapo', 'bnpo'] as const;
export const SCALE_REWARDS = ['group', 'batch', 'none'] as const;
export const LR_SCHEDULER_TYPES = ['constant', 'linear', 'cosine'] as const;
/** What a sample whose grader gives no valid score is worth: left out (Cherry, TRL >= 1.6) or 0 (OpenAI). */
export const INVALID_REWARDS = ['excluded', 'zero'] as const;
export type Algo = (typeof ALGOS)[number];
export type LossType = (typeof LOSS_TYPES)[number];
export type ScaleRewards = (typeof SCALE_REWARDS)[number];
export type LrSchedulerType = (typeof LR_SCHEDULER_TYPES)[number];
export type InvalidReward = (typeof INVALID_REWARDS)[number];
/** Which linear layers a LoRA adapter adapts (loraTargetModules turns a choice into PEFT module names). */
export const LORA_TARGET_CHOICES = ['all-linear', 'attention', 'q_proj,v_proj'] as const;
export type LoraTargetChoice = (typeof LORA_TARGET_CHOICES)[number];

/** How a setting shows on the Hyperparameters panel (settings without one are not shown there). */
export interface UiControl {
  /** Position among the shown controls (ascending). */
  order: number;
  /** Step of a number input (none for a select). */
  step?: number;
}

/** What every row says besides its value's type and range. */
export interface SettingMeta {
  /** One line for tooltips, the README's table and `cherry train --help`. */
  doc: string;
  /** The GRPOConfig argument it sets, or null when TRL has none. */
  trl: string | null;
  /** The OpenAI `method.reinforcement.hyperparameters` field it sets, or null when the API has none. */
  openai: string | null;
  /** How it is converted for TRL and OpenAI, or why it has no counterpart. */
  how: string;
  /** Why it cannot change once a run has started; absent = it may change between steps. */
  frozen?: string;
  /** Its control on the Hyperparameters panel; absent = not shown there. */
  ui?: UiControl;
}

/** A number in [min, max] (or (min, max] with minOpen); integers only when int. */
export interface NumSetting extends SettingMeta {
  kind: 'num';
  /** The value when nothing sets it. */
  default: number;
  /** Smallest allowed value (excluded when minOpen). */
  min: number;
  /** Largest allowed value. */
  max: number;
  /** Whole numbers only. */
  int: boolean;
  /** min itself is not allowed (e.g. a learning rate must be > 0). */
  minOpen: boolean;
}

/** One of a fixed list of strings. */
export interface EnumSetting<T extends string> extends SettingMeta {
  kind: 'enum';
  /** The value when nothing sets it. */
  default: T;
  /** Every allowed value, in the order a select shows them. */
  values: readonly T[];
}

/** On or off. */
export interface BoolSetting extends SettingMeta {
  kind: 'bool';
  /** The value when nothing sets it. */
  default: boolean;
}

export type Setting = NumSetting | EnumSetting<string> | BoolSetting;

/** The value type a row describes. */
export type SettingValue<S> = S extends EnumSetting<infer T> ? T : S extends BoolSetting ? boolean : number;

const range =
  (isInt: boolean) =>
  (d: number, min: number, max: number, o: { minOpen?: boolean } = {}) => ({
    with: (m: SettingMeta): NumSetting => ({ kind: 'num', default: d, min, max, int: isInt, minOpen: o.minOpen ?? false, ...m }),
  });
const num = range(false);
const int = range(true);
const bool = (d: boolean) => ({ with: (m: SettingMeta): BoolSetting => ({ kind: 'bool', default: d, ...m }) });
const oneOf = <T extends string>(d: NoInfer<T>, values: readonly T[]) => ({
  with: (m: SettingMeta): EnumSetting<T> => ({ kind: 'enum', default: d, values, ...m }),
});

/** THE table, in RLConfig order. The comment above a row documents the field in depth. */
export const SETTINGS = {
  /** Algorithm: GRPO and its variants (dr_grpo, dapo), RLOO, REINFORCE with a mean baseline, or plain SFT. */
  algo: oneOf('grpo', ALGOS).with({
    doc: 'Algorithm: grpo, dr_grpo (no std scaling, length-unbiased loss), dapo (clip-higher, token-level loss, dynamic sampling), rloo (leave-one-out baseline), reinforce (batch-mean baseline), sft (imitate the reference answers).',
    trl: 'loss_type / scale_rewards',
    openai: null,
    how: 'grpo, dr_grpo and dapo are GRPOTrainer settings (loss_type, scale_rewards, epsilon_high). rloo and reinforce have no exact GRPOTrainer form (TRL has a separate RLOOTrainer); the script then uses GRPO with scale_rewards="none" and says so. sft is not exported (use TRL SFTTrainer). OpenAI chooses its own algorithm.',
    frozen: 'the algorithm defines the run',
    ui: { order: 0 },
  }),
  /** Optimiser steps to run (TRL: max_steps). */
  max_steps: int(60, 1, 1_000_000).with({
    doc: 'Number of optimiser steps to run.',
    trl: 'max_steps',
    openai: 'n_epochs',
    how: 'OpenAI counts epochs: n_epochs = ceil(max_steps × batch_prompts / training rows), at least 1.',
    ui: { order: 9, step: 1 },
  }),
  /** Prompts per step; each gets `num_generations` completions (TRL: per_device_train_batch_size / G).
   *  On arithmetic's 60 steps, 8 prompts give +0.23..+0.28 greedy (seeds 1-3); 32 gave +0.30 (seed 1)
   *  at ~3x the time per step (a less noisy gradient); see BENCHMARKS.md, "RFT engine". */
  batch_prompts: int(8, 1, 4096).with({
    doc: 'Prompts sampled per step; each gets num_generations completions.',
    trl: 'per_device_train_batch_size',
    openai: 'batch_size',
    how: 'TRL counts completions: per_device_train_batch_size = batch_prompts × num_generations (per GPU; with N GPUs a step sees N × that). OpenAI counts prompts.',
    ui: { order: 2, step: 1 },
  }),
  /** Completions sampled per prompt, the group size G (TRL default 8). */
  num_generations: int(8, 1, 1024).with({
    doc: 'Group size G: completions per prompt, compared with each other to form advantages.',
    trl: 'num_generations',
    openai: null,
    how: 'OpenAI sets the number of samples itself (compute_multiplier scales the exploration).',
    ui: { order: 1, step: 1 },
  }),
  /** Peak learning rate. TRL defaults to 1e-6 for billion-parameter models; tiny models need far more,
   *  and a prototype collapsed at 1e-3 but was stable at 1e-4..3e-4. On arithmetic (60 steps) 2e-4
   *  beat 2e-5, 5e-5, 1e-4 and 3e-4, with or without warm-up (BENCHMARKS.md, "RFT engine"). */
  learning_rate: num(2e-4, 0, 1, { minOpen: true }).with({
    doc: 'Peak learning rate. Tiny models: 1e-4..3e-4 is stable; 1e-3 collapsed a prototype.',
    trl: 'learning_rate',
    openai: null,
    how: 'OpenAI takes only learning_rate_multiplier relative to its own base rate, so it is left "auto". Tiny-model rates (1e-4) are far too high for billion-parameter models: start near 1e-6 in TRL.',
    ui: { order: 3, step: 1e-5 },
  }),
  /** Learning-rate shape after warm-up: constant, linear decay to 0, or cosine decay to 0 (TRL: linear). */
  lr_scheduler_type: oneOf('constant', LR_SCHEDULER_TYPES).with({
    doc: 'Shape of the learning rate after warm-up: constant, linear decay to 0, or cosine decay to 0.',
    trl: 'lr_scheduler_type',
    openai: null,
    how: 'constant → "constant" ("constant_with_warmup" when warmup_ratio > 0), linear → "linear", cosine → "cosine"; all decay to 0 as in Cherry.',
  }),
  /** Fraction of max_steps spent warming the learning rate up linearly from 0 (TRL default 0). */
  warmup_ratio: num(0, 0, 1).with({
    doc: 'Fraction of max_steps over which the learning rate ramps up from 0.',
    trl: 'warmup_ratio',
    openai: null,
    how: 'Same meaning.',
  }),
  /** Decoupled (AdamW) weight decay per step, as a multiple of the learning rate (TRL default 0). */
  weight_decay: num(0, 0, 1).with({
    doc: 'AdamW decoupled weight decay (0 = plain Adam).',
    trl: 'weight_decay',
    openai: null,
    how: 'Same meaning (decoupled, AdamW).',
  }),
  /** Adam β1, the decay of the running mean of gradients. */
  adam_beta1: num(0.9, 0, 0.999999).with({
    doc: 'Adam β1: how much of the previous gradient direction is kept.',
    trl: 'adam_beta1',
    openai: null,
    how: 'Same meaning.',
  }),
  /** Adam β2, the decay of the running mean of squared gradients. */
  adam_beta2: num(0.999, 0, 0.99999999).with({
    doc: 'Adam β2: how slowly the per-parameter step size adapts.',
    trl: 'adam_beta2',
    openai: null,
    how: 'Same meaning.',
  }),
  /** Adam ε, added to the denominator for numerical safety. */
  adam_epsilon: num(1e-8, 0, 1, { minOpen: true }).with({
    doc: 'Adam ε: keeps the update finite when gradients are tiny.',
    trl: 'adam_epsilon',
    openai: null,
    how: 'Same meaning.',
  }),
  /** Clip the global gradient norm to this value before the update; 0 turns clipping off. On the built-in
   *  models the policy-gradient norm is ~1.4..6, so 1.0 clips every step; Adam is invariant to a constant
   *  gradient scale, so the value hardly matters (0.5 gave the identical arithmetic run); what clipping
   *  does here is give every step's gradient the same size (off: +0.11 instead of +0.19, one seed). */
  max_grad_norm: num(1.0, 0, 1e6).with({
    doc: 'Clip the gradient so its global L2 norm is at most this (0 = no clipping).',
    trl: 'max_grad_norm',
    openai: null,
    how: 'Same meaning; 0 turns clipping off in both.',
  }),
  /** KL penalty weight to the frozen starting model (k3 estimator). 0 loads no reference model. */
  beta: num(0, 0, 100).with({
    doc: 'KL penalty to the starting model (k3 estimator). 0 = no penalty and no reference model in memory.',
    trl: 'beta',
    openai: null,
    how: 'Same meaning (k3 KL estimator; 0 loads no reference model).',
    ui: { order: 4, step: 0.01 },
  }),
  /** Lower clip range of the importance ratio: ratios below 1 − epsilon stop pulling down. */
  epsilon: num(0.2, 0, 1).with({
    doc: 'Clip range below: a token whose probability ratio fell under 1 − ε stops being pushed down.',
    trl: 'epsilon',
    openai: null,
    how: 'Same meaning.',
    ui: { order: 5, step: 0.01 },
  }),
  /** Upper clip range: ratios above 1 + epsilon_high stop pulling up (DAPO "clip-higher" uses 0.28). */
  epsilon_high: num(0.2, 0, 10).with({
    doc: 'Clip range above: a token whose ratio rose over 1 + ε_high stops being pushed up (DAPO: 0.28).',
    trl: 'epsilon_high',
    openai: null,
    how: 'Same meaning.',
    ui: { order: 6, step: 0.01 },
  }),
  /** Optimisation passes over each sampled batch (μ in the GRPO paper); >1 reuses the old log-probs. */
  num_iterations: int(1, 1, 64).with({
    doc: 'Passes over each sampled batch (μ). Above 1, the ratio to the sampling-time policy matters.',
    trl: 'num_iterations',
    openai: null,
    how: 'Same meaning (μ).',
  }),
  /** How the per-token loss is averaged: per sequence then per batch (grpo), over all tokens (dapo,
   *  bnpo), or summed and divided by batch × max_completion_length (dr_grpo). TRL defaults to
   *  'dapo'; here each algo presets its own (grpo → 'grpo'). */
  loss_type: oneOf('grpo', LOSS_TYPES).with({
    doc: 'Loss averaging: grpo (per sequence, then batch), dapo/bnpo (per token), dr_grpo (sum / (batch × max length)).',
    trl: 'loss_type',
    openai: null,
    how: 'Same names: grpo, dr_grpo, dapo, bnpo.',
  }),
  /** Divide advantages by the reward std of the group, of the whole batch, or not at all (Dr. GRPO). */
  scale_rewards: oneOf('group', SCALE_REWARDS).with({
    doc: 'Divide advantages by the reward std of each group, of the batch, or not at all.',
    trl: 'scale_rewards',
    openai: null,
    how: 'Same strings ("group", "batch", "none"; TRL ≥ 0.22 — older TRL takes True/False).',
  }),
  /** DAPO dynamic sampling: drop groups whose rewards are all equal (no signal) and sample more. */
  dynamic_sampling: bool(false).with({
    doc: 'Drop groups whose rewards are all equal (they carry no gradient) and sample more prompts.',
    trl: null,
    openai: null,
    how: 'GRPOTrainer has no dynamic sampling; zero-variance groups stay in the batch with advantage 0. The script says so when it was on.',
  }),
  /** With dynamic_sampling, the most extra sampling rounds per step before training on what is there. */
  max_refill_rounds: int(3, 0, 100).with({
    doc: 'With dynamic sampling, the most extra sampling rounds per step.',
    trl: null,
    openai: null,
    how: 'Only meaningful with dynamic_sampling.',
  }),
  /** Leave completions cut at max_completion_length out of the loss (DAPO's overlong filtering). */
  mask_truncated_completions: bool(false).with({
    doc: 'Exclude completions cut at the length limit from the loss.',
    trl: 'mask_truncated_completions',
    openai: null,
    how: 'Same meaning.',
  }),
  /** Sampling temperature for training rollouts. */
  temperature: num(1.0, 0, 100, { minOpen: true }).with({
    doc: "Sampling temperature for training rollouts (1 = the model's own distribution).",
    trl: 'temperature',
    openai: null,
    how: 'Same meaning.',
    ui: { order: 7, step: 0.1 },
  }),
  /** Nucleus sampling: keep the smallest set of tokens whose probability reaches top_p (1 = off). */
  top_p: num(1.0, 0, 1, { minOpen: true }).with({
    doc: 'Nucleus sampling threshold (1 = off).',
    trl: 'top_p',
    openai: null,
    how: 'Same meaning.',
  }),
  /** Keep only the k most likely tokens when sampling (0 = off). */
  top_k: int(0, 0, 1_000_000).with({
    doc: 'Sample only among the k most likely tokens (0 = off).',
    trl: 'top_k',
    openai: null,
    how: 'Same meaning; 0 is off in both (and in transformers generation).',
  }),
  /** Most tokens generated per completion; longer ones are cut and counted as truncated
   *  (TRL default 256; Cherry's built-in tasks have short answers). */
  max_completion_length: int(32, 1, 100_000).with({
    doc: 'Most tokens generated per completion.',
    trl: 'max_completion_length',
    openai: null,
    how: "Counted in the model's own tokens; Cherry's built-in models use one token per character, so raise it for a real tokenizer if answers are long.",
    ui: { order: 8, step: 1 },
  }),
  /** Seed for every random choice: prompt order, sampling, initialisation. */
  seed: int(42, 0, 4294967295).with({
    doc: 'Seed for all randomness; the same seed and settings repeat a run exactly.',
    trl: 'seed',
    openai: 'seed (top level of the job)',
    how: 'Same seed, not the same samples: the models and samplers differ.',
    frozen: 'the seed defines the run',
    ui: { order: 11, step: 1 },
  }),
  /** Validate (greedy) on the held-out split before a fresh run's first update and every this many steps after
   *  (0 = never during the run; `cherry train` still evaluates the test split before and after). */
  eval_interval: int(10, 0, 1_000_000).with({
    doc: 'Steps between validations on the held-out split; one also runs before the first update. 0 = none.',
    trl: 'eval_strategy="steps", eval_steps',
    openai: 'eval_interval',
    how: '0 (only before and after) becomes eval_strategy="no" and OpenAI "auto". TRL evaluates the validation file only when one is exported.',
    ui: { order: 10, step: 1 },
  }),
  /** Save a checkpoint every this many steps (0 = only on pause and at the end). */
  checkpoint_interval: int(0, 0, 1_000_000).with({
    doc: 'Steps between checkpoints (0 = only on pause and at the end).',
    trl: 'save_strategy="steps", save_steps',
    openai: null,
    how: '0 becomes save_strategy="no"; the script saves the final model either way. OpenAI keeps its own checkpoints.',
  }),
  /** Consecutive non-finite (NaN/Inf) steps after which the last good weights are restored. */
  max_bad_steps: int(3, 1, 1000).with({
    doc: 'Consecutive NaN/Inf steps tolerated before the last good weights are restored.',
    trl: null,
    openai: null,
    how: "Cherry's NaN guard; TRL has no counterpart.",
  }),
  /** LoRA rank r (0 = off: every weight trains). With r > 0 only the adapters (A [r, in], B [out, r] per
   *  adapted layer) train and sit in the optimizer; the base weights stay frozen, and the KL reference is
   *  the base with the adapter switched off (no second copy). TRL: `peft_config=LoraConfig(r=…)`. */
  lora_rank: int(0, 0, 1024).with({
    doc: 'LoRA rank (0 = full fine-tuning). With a rank only small adapter matrices train: far less optimizer memory.',
    trl: 'LoraConfig(r)',
    openai: null,
    how: 'r of the peft_config=LoraConfig(...) passed to GRPOTrainer (0: no peft_config). OpenAI chooses its own method.',
    frozen: 'the adapter is built when the run starts',
    ui: { order: 12, step: 1 },
  }),
  /** LoRA α: the adapter's output is scaled by α/r (α/√r with rsLoRA). PEFT's own default is 8; 32 is
   *  TRL's GRPO examples' choice for r = 16 (α = 2r). */
  lora_alpha: num(32, 0, 1e6, { minOpen: true }).with({
    doc: 'LoRA alpha: the adapter output is multiplied by alpha / rank (alpha / √rank with rsLoRA).',
    trl: 'LoraConfig(lora_alpha)',
    openai: null,
    how: 'lora_alpha of the LoraConfig.',
    frozen: 'the adapter is built when the run starts',
    ui: { order: 13, step: 1 },
  }),
  /** Dropout on the adapter's input while training (seeded, so a resumed run repeats exactly). */
  lora_dropout: num(0, 0, 0.99).with({
    doc: 'LoRA dropout: probability of zeroing an adapter input while training.',
    trl: 'LoraConfig(lora_dropout)',
    openai: null,
    how: 'lora_dropout of the LoraConfig.',
    frozen: 'the adapter is built when the run starts',
    ui: { order: 14, step: 0.05 },
  }),
  /** Which linear layers get an adapter: every one, the attention projections, or only q and v (the LoRA
   *  paper's choice). GPT-2 names them c_attn/c_proj/c_fc: its attention choices both mean c_attn. */
  lora_target_modules: oneOf('all-linear', LORA_TARGET_CHOICES).with({
    doc: 'Layers that get a LoRA adapter: all-linear, attention (q/k/v/o), or q_proj,v_proj (GPT-2: c_attn for both).',
    trl: 'LoraConfig(target_modules)',
    openai: null,
    how: 'all-linear → target_modules="all-linear" (PEFT finds them); the others → the module list (GPT-2: ["c_attn"]).',
    frozen: 'the adapter is built when the run starts',
    ui: { order: 15 },
  }),
  /** rsLoRA (Kalajdzievski 2023): scale α/√r, so a larger rank does not shrink the update. */
  use_rslora: bool(false).with({
    doc: 'rsLoRA: scale the adapter by alpha / √rank instead of alpha / rank.',
    trl: 'LoraConfig(use_rslora)',
    openai: null,
    how: 'use_rslora of the LoraConfig.',
    frozen: 'the adapter is built when the run starts',
    ui: { order: 16 },
  }),
  /** Rows per gradient slice of the RL update (0 = automatic: rl/policyUpdate.ts defaultMicroBatchRows,
   *  8192 tokens' worth and fewer for wide rows). The slices' gradients are summed, so the update is the
   *  same whatever the size; a smaller slice lowers the activation memory the memory plan counts. */
  micro_batch_rows: int(0, 0, 4096).with({
    doc: 'Rows per gradient slice of the update (0 = automatic). Memory only: the slices are summed, so the update is the same.',
    trl: null,
    openai: null,
    how: "Memory only. TRL's counterpart is gradient_accumulation_steps with a smaller per_device_train_batch_size; the script keeps one slice per step.",
    ui: { order: 18, step: 1 },
  }),
  /** Pause the run (instead of training on) when the grader fails on any sample: an error or a
   *  time-out. Failed samples are always left out of the statistics and the loss either way. */
  pause_on_grader_error: bool(false).with({
    doc: 'Pause the run when the grader fails on a sample (error or time-out), so you can fix it; off = train on, leaving those samples out.',
    trl: null,
    openai: null,
    how: 'A Cherry run control; TRL and OpenAI have no counterpart (a reward function that raises stops a TRL run).',
  }),
  /** What a sample is worth when its grader gives no valid score (an error, a time-out, NaN, a non-number,
   *  a judge that did not answer): "excluded" leaves it out of its group's statistics and the loss (Cherry's
   *  default; TRL >= 1.6 does the same with None); "zero" counts it as reward 0, as OpenAI RFT does. Either
   *  way the step's `invalid` metric counts such samples and the error stays on the sample. */
  invalid_reward: oneOf('excluded', INVALID_REWARDS).with({
    doc: "Reward of a sample whose grader errs, times out or returns no number: excluded (left out of the statistics) or zero (counts as 0, OpenAI's rule).",
    trl: null,
    openai: null,
    how: 'OpenAI always counts an invalid grade as 0 (choose "zero" to match). The TRL script\'s reward function returns None for "excluded" (excluded only on TRL >= 1.6; the script pins it) and 0.0 for "zero".',
    frozen: 'the grader is built with it when the run starts',
    ui: { order: 17 },
  }),
} satisfies Record<string, Setting>;

/** Every knob of Cherry's RFT engine in one typed object, one field per row of SETTINGS. */
export type RLConfig = { [K in keyof typeof SETTINGS]: SettingValue<(typeof SETTINGS)[K]> };
export type SettingName = keyof RLConfig;

/** The field names, in table order. */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[]; // the keys of the literal table

export const DEFAULT_CONFIG: RLConfig = Object.fromEntries(SETTING_NAMES.map((k) => [k, SETTINGS[k].default])) as RLConfig; // one default per key of the table, each of its row's type

/** The fields each algorithm sets unless the caller sets them explicitly. */
export const ALGO_PRESETS: Record<Algo, Partial<RLConfig>> = {
  grpo: { loss_type: 'grpo', scale_rewards: 'group' },
  dr_grpo: { loss_type: 'dr_grpo', scale_rewards: 'none' },
  dapo: { loss_type: 'dapo', scale_rewards: 'group', epsilon_high: 0.28, dynamic_sampling: true },
  rloo: { loss_type: 'grpo', scale_rewards: 'none' },
  reinforce: { loss_type: 'grpo', scale_rewards: 'none' },
  sft: {},
};

/** Whether `k` names a setting. */
export function isSettingName(k: string): k is SettingName {
  return Object.prototype.hasOwnProperty.call(SETTINGS, k);
}

/** PEFT module names of a LoRA target choice on a model of Hugging Face `architecture`. */
export function loraTargetModules(choice: LoraTargetChoice, architecture: string): string[] {
  if (architecture === 'GPT2LMHeadModel') return choice === 'all-linear' ? ['c_attn', 'c_proj', 'c_fc'] : ['c_attn'];
  if (choice === 'all-linear') return ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];
  return choice === 'attention' ? ['q_proj', 'k_proj', 'v_proj', 'o_proj'] : ['q_proj', 'v_proj'];
}
