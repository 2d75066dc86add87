// How each Cherry hyperparameter carries over to production: to TRL's GRPOConfig (the generated
// train_grpo.py) and to an OpenAI reinforcement fine-tuning job. One table, used by the exporters and
// rendered into docs/production.md, so the code and the docs cannot disagree.
import type { RLConfig } from '../rl/config';

/** Where one field goes. */
export interface HyperparamMapping {
  /** The GRPOConfig argument it sets, or null when TRL has none. */
  trl: string | null;
  /** The OpenAI `method.reinforcement.hyperparameters` field it sets, or null when the API has none. */
  openai: string | null;
  /** How it is converted, or why it has no counterpart. */
  note: string;
}

/** Every RLConfig field, in RLConfig order. */
export const HYPERPARAM_MAP: Record<keyof RLConfig, HyperparamMapping> = {
  algo: { trl: 'loss_type / scale_rewards', openai: null, note: 'grpo, dr_grpo and dapo are GRPOTrainer settings (loss_type, scale_rewards, epsilon_high). rloo and reinforce have no exact GRPOTrainer form (TRL has a separate RLOOTrainer); the script then uses GRPO with scale_rewards="none" and says so. sft is not exported (use TRL SFTTrainer). OpenAI chooses its own algorithm.' },
  max_steps: { trl: 'max_steps', openai: 'n_epochs', note: 'OpenAI counts epochs: n_epochs = ceil(max_steps × batch_prompts / training rows), at least 1.' },
  batch_prompts: { trl: 'per_device_train_batch_size', openai: 'batch_size', note: 'TRL counts completions: per_device_train_batch_size = batch_prompts × num_generations (per GPU; with N GPUs a step sees N × that). OpenAI counts prompts.' },
  num_generations: { trl: 'num_generations', openai: null, note: 'OpenAI sets the number of samples itself (compute_multiplier scales the exploration).' },
  learning_rate: { trl: 'learning_rate', openai: null, note: 'OpenAI takes only learning_rate_multiplier relative to its own base rate, so it is left "auto". Tiny-model rates (1e-4) are far too high for billion-parameter models: start near 1e-6 in TRL.' },
  lr_scheduler_type: { trl: 'lr_scheduler_type', openai: null, note: 'constant → "constant" ("constant_with_warmup" when warmup_ratio > 0), linear → "linear", cosine → "cosine"; all decay to 0 as in Cherry.' },
  warmup_ratio: { trl: 'warmup_ratio', openai: null, note: 'Same meaning.' },
  weight_decay: { trl: 'weight_decay', openai: null, note: 'Same meaning (decoupled, AdamW).' },
  adam_beta1: { trl: 'adam_beta1', openai: null, note: 'Same meaning.' },
  adam_beta2: { trl: 'adam_beta2', openai: null, note: 'Same meaning.' },
  adam_epsilon: { trl: 'adam_epsilon', openai: null, note: 'Same meaning.' },
  max_grad_norm: { trl: 'max_grad_norm', openai: null, note: 'Same meaning; 0 turns clipping off in both.' },
  beta: { trl: 'beta', openai: null, note: 'Same meaning (k3 KL estimator; 0 loads no reference model).' },
  epsilon: { trl: 'epsilon', openai: null, note: 'Same meaning.' },
  epsilon_high: { trl: 'epsilon_high', openai: null, note: 'Same meaning.' },
  num_iterations: { trl: 'num_iterations', openai: null, note: 'Same meaning (μ).' },
  loss_type: { trl: 'loss_type', openai: null, note: 'Same names: grpo, dr_grpo, dapo, bnpo.' },
  scale_rewards: { trl: 'scale_rewards', openai: null, note: 'Same strings ("group", "batch", "none"; TRL ≥ 0.22 — older TRL takes True/False).' },
  dynamic_sampling: { trl: null, openai: null, note: 'GRPOTrainer has no dynamic sampling; zero-variance groups stay in the batch with advantage 0. The script says so when it was on.' },
  max_refill_rounds: { trl: null, openai: null, note: 'Only meaningful with dynamic_sampling.' },
  mask_truncated_completions: { trl: 'mask_truncated_completions', openai: null, note: 'Same meaning.' },
  temperature: { trl: 'temperature', openai: null, note: 'Same meaning.' },
  top_p: { trl: 'top_p', openai: null, note: 'Same meaning.' },
  top_k: { trl: 'top_k', openai: null, note: 'Same meaning; 0 is off in both (and in transformers generation).' },
  max_completion_length: { trl: 'max_completion_length', openai: null, note: 'Counted in the model\'s own tokens; Cherry\'s built-in models use one token per character, so raise it for a real tokenizer if answers are long.' },
  seed: { trl: 'seed', openai: 'seed (top level of the job)', note: 'Same seed, not the same samples: the models and samplers differ.' },
  eval_interval: { trl: 'eval_strategy="steps", eval_steps', openai: 'eval_interval', note: '0 (only before and after) becomes eval_strategy="no" and OpenAI "auto". TRL evaluates the validation file only when one is exported.' },
  checkpoint_interval: { trl: 'save_strategy="steps", save_steps', openai: null, note: '0 becomes save_strategy="no"; the script saves the final model either way. OpenAI keeps its own checkpoints.' },
  max_bad_steps: { trl: null, openai: null, note: 'Cherry\'s NaN guard; TRL has no counterpart.' },
  pause_on_grader_error: { trl: null, openai: null, note: 'A Cherry run control; TRL and OpenAI have no counterpart (a reward function that raises stops a TRL run).' },
};

/** The table as Markdown, for docs/production.md. */
export function hyperparamTableMarkdown(): string {
  const code = (s: string | null): string => (s === null ? '—' : `\`${s}\``);
  const rows = Object.entries(HYPERPARAM_MAP).map(([k, m]) =>
    `| \`${k}\` | ${code(m.trl)} | ${code(m.openai)} | ${m.note.replace(/\|/g, '\\|')} |`);
  return ['| Cherry (RLConfig) | TRL GRPOConfig | OpenAI RFT hyperparameters | how |', '|---|---|---|---|', ...rows].join('\n');
}
