// "Graduate to production", TRL side: one self-contained Python script that trains with TRL's
// GRPOTrainer and runs unchanged with `accelerate launch train_grpo.py`: the reward function from the
// grader (Python as written, built-ins translated by pyReward.ts), GRPOConfig from RLConfig field by
// field (see HYPERPARAM_MAP), and the dataset loaded from the exported OpenAI-RFT JSONL files.
import type { GraderSource } from '../graders/types';
import { loraTargetModules, type RLConfig } from '../schema/settings';
import type { InvalidReward } from '../graders/invalidReward';
import { graderToPythonModule, pyStr } from './pyReward';

/**
 * The first TRL version whose GRPOTrainer leaves a None reward out (NaN-aware group statistics); earlier
 * versions count None as 0 (as stated in issue 15; the script checks it at start).
 */
export const TRL_NONE_EXCLUDED = '1.6';
/** The TRL version the script needs when invalid output counts as 0 (None never reaches TRL then). */
export const TRL_MIN = '0.22';

/** A run that has no GRPOTrainer form (e.g. an SFT run). */
export class TrlExportError extends Error {
  override name = 'TrlExportError';
}

/** Options of trlScript. */
export interface TrlScriptOptions {
  /** The run's hyperparameters. */
  config: RLConfig;
  /** The run's grader; Python or a translatable built-in spec. */
  grader: GraderSource;
  /** Hugging Face model id or local folder to fine-tune (overridable with CHERRY_BASE_MODEL). */
  model: string;
  /** Training JSONL next to the script (OpenAI RFT rows). */
  trainFile: string;
  /** Validation JSONL next to the script, used when eval_interval > 0. */
  validationFile?: string;
  /** Where TRL writes checkpoints and the final model. */
  outputDir: string;
  /** Shown in the script's docstring (task or dataset name). */
  title: string;
  /**
   * What a sample without a valid score is worth, as in the Cherry run: "excluded" (None, left out of the
   * group; needs TRL >= 1.6, which the pip line pins) or "zero" (the reward function returns 0.0). Default: the config's invalid_reward.
   */
  invalidReward?: InvalidReward;
}

/** A Python literal for a GRPOConfig value; floats always carry a decimal point (0 → 0.0). */
type PyArg = { name: string; value: number | string | boolean | null; float?: boolean };

function pyValue(a: PyArg): string {
  const v = a.value;
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return pyStr(v);
  if (a.float && Number.isInteger(v)) return `${v}.0`;
  return String(v);
}

function schedulerName(c: RLConfig): string {
  if (c.lr_scheduler_type === 'constant') return c.warmup_ratio > 0 ? 'constant_with_warmup' : 'constant';
  return c.lr_scheduler_type;
}

/** GRPOConfig arguments, in RLConfig order (see HYPERPARAM_MAP for each conversion). */
export function grpoConfigArgs(c: RLConfig, opts: Pick<TrlScriptOptions, 'outputDir' | 'validationFile'>): PyArg[] {
  const evaluate = c.eval_interval > 0 && opts.validationFile !== undefined;
  const batch = c.batch_prompts * c.num_generations;
  const args: PyArg[] = [
    { name: 'output_dir', value: opts.outputDir },
    { name: 'max_steps', value: c.max_steps },
    { name: 'per_device_train_batch_size', value: batch },
    { name: 'gradient_accumulation_steps', value: 1 },
    { name: 'num_generations', value: c.num_generations },
    { name: 'learning_rate', value: c.learning_rate, float: true },
    { name: 'lr_scheduler_type', value: schedulerName(c) },
    { name: 'warmup_ratio', value: c.warmup_ratio, float: true },
    { name: 'weight_decay', value: c.weight_decay, float: true },
    { name: 'adam_beta1', value: c.adam_beta1, float: true },
    { name: 'adam_beta2', value: c.adam_beta2, float: true },
    { name: 'adam_epsilon', value: c.adam_epsilon, float: true },
    { name: 'max_grad_norm', value: c.max_grad_norm, float: true },
    { name: 'beta', value: c.beta, float: true },
    { name: 'epsilon', value: c.epsilon, float: true },
    { name: 'epsilon_high', value: c.epsilon_high, float: true },
    { name: 'num_iterations', value: c.num_iterations },
    { name: 'loss_type', value: c.loss_type },
    { name: 'scale_rewards', value: c.algo === 'rloo' || c.algo === 'reinforce' ? 'none' : c.scale_rewards },
    { name: 'mask_truncated_completions', value: c.mask_truncated_completions },
    { name: 'temperature', value: c.temperature, float: true },
    { name: 'top_p', value: c.top_p, float: true },
    { name: 'top_k', value: c.top_k },
    { name: 'max_completion_length', value: c.max_completion_length },
    { name: 'seed', value: c.seed },
    { name: 'eval_strategy', value: evaluate ? 'steps' : 'no' },
    ...(evaluate
      ? [
          { name: 'eval_steps', value: c.eval_interval },
          { name: 'per_device_eval_batch_size', value: batch },
        ]
      : []),
    { name: 'save_strategy', value: c.checkpoint_interval > 0 ? 'steps' : 'no' },
    ...(c.checkpoint_interval > 0 ? [{ name: 'save_steps', value: c.checkpoint_interval }] : []),
    { name: 'logging_steps', value: 1 },
    { name: 'report_to', value: 'none' },
  ];
  return args;
}

/** What did not carry over exactly, one sentence each (also written at the top of the script). */
export function trlNotes(c: RLConfig): string[] {
  const notes: string[] = [];
  if (c.algo === 'rloo' || c.algo === 'reinforce') {
    notes.push(
      `algo '${c.algo}' has no exact GRPOTrainer form: this script trains GRPO with scale_rewards="none" (group-mean baseline). For RLOO use TRL's RLOOTrainer.`,
    );
  }
  if (c.dynamic_sampling)
    notes.push('dynamic_sampling is on in Cherry but GRPOTrainer has none: zero-variance groups stay in the batch with advantage 0.');
  notes.push(
    'per_device_train_batch_size counts completions (batch_prompts × num_generations) per GPU: with N GPUs each step sees N times as many prompts as in Cherry.',
  );
  if (c.lora_rank > 0 && c.lora_target_modules !== 'all-linear')
    notes.push(
      `lora_target_modules '${c.lora_target_modules}' is written with Llama module names; for GPT-2 use target_modules=["c_attn"].`,
    );
  notes.push("learning_rate was tuned for Cherry's tiny models; billion-parameter models usually need about 1e-6.");
  return notes;
}

/**
 * The peft LoraConfig(...) expression of a LoRA run (lora_rank > 0), or null. The script does not know
 * the model's architecture, so a module list is written in Llama names (GPT-2 takes ["c_attn"]; a note says so).
 */
export function peftLoraConfig(c: RLConfig): string | null {
  if (c.lora_rank === 0) return null;
  const targets =
    c.lora_target_modules === 'all-linear'
      ? pyStr('all-linear')
      : `[${loraTargetModules(c.lora_target_modules, 'LlamaForCausalLM').map(pyStr).join(', ')}]`;
  const args: PyArg[] = [
    { name: 'r', value: c.lora_rank },
    { name: 'lora_alpha', value: c.lora_alpha, float: true },
    { name: 'lora_dropout', value: c.lora_dropout, float: true },
    { name: 'use_rslora', value: c.use_rslora },
    { name: 'task_type', value: 'CAUSAL_LM' },
  ];
  return `LoraConfig(\n    target_modules=${targets},\n${args.map((a) => `    ${a.name}=${pyValue(a)},`).join('\n')}\n)`;
}

const REWARD = `
def _json_or_none(text):
    t = text.strip()
    if t.startswith("{") or t.startswith("["):
        try:
            return json.loads(t)
        except ValueError:
            return None
    return None


def cherry_reward(completions, **kwargs):
    """TRL reward function: runs grade(sample, item) on each completion; None = unscorable."""
    prompts = kwargs.pop("prompts", None)
    completion_ids = kwargs.pop("completion_ids", None)
    rewards = []
    for i, completion in enumerate(completions):
        # Conversational datasets give [{"role": "assistant", "content": ...}], plain ones a string.
        text = completion[-1]["content"] if isinstance(completion, list) else completion
        item = {k: v[i] for k, v in kwargs.items() if isinstance(v, list) and len(v) == len(completions)}
        if prompts is not None:
            # Cherry's item.prompt: the prompt text (a one-message conversation gives its content back).
            p = prompts[i]
            item.setdefault("messages", p)
            item.setdefault("prompt", p if isinstance(p, str) else "\\n".join(str(m.get("content", "")) for m in p))
        sample = {
            "output_text": text,
            "output_json": _json_or_none(text),
            "output_tokens": len(completion_ids[i]) if completion_ids is not None else None,
        }
        value = grade(sample, item)
        if isinstance(value, dict):
            value = value.get("score")
        rewards.append(INVALID_REWARD if value is None else float(value))
    return rewards
`;

/** The script and the list of what did not carry over exactly. Throws TrlExportError or GraderExportError. */
export function trlScript(opts: TrlScriptOptions): { script: string; notes: string[] } {
  const c = opts.config;
  if (c.algo === 'sft') {
    throw new TrlExportError(
      "an SFT run has no GRPOTrainer form: train it with TRL's SFTTrainer on the same JSONL (the reference answers become assistant messages), or export an RL run (algo grpo, dr_grpo or dapo).",
    );
  }
  if (c.num_generations < 2) {
    throw new TrlExportError(
      `num_generations is ${c.num_generations}, and GRPOTrainer needs at least 2 completions per prompt ` +
        '(its advantage compares each completion with the others of its group; with 1 every advantage is 0 and nothing is learnt). ' +
        'Set num_generations to 2 or more (8 is usual) and export again.',
    );
  }
  const grader = graderToPythonModule(opts.grader);
  const excluded = (opts.invalidReward ?? c.invalid_reward) === 'excluded';
  const notes = trlNotes(c);
  notes.push(
    excluded
      ? `invalid grader output (None) is excluded from its group's statistics, as in Cherry: that needs TRL >= ${TRL_NONE_EXCLUDED} (earlier versions count None as 0), so the pip line pins it and the script stops on an older TRL.`
      : 'invalid grader output counts as 0, as in the Cherry run (invalid_reward "zero", OpenAI\'s rule): the reward function returns 0.0 instead of None.',
  );
  const evaluate = c.eval_interval > 0 && opts.validationFile !== undefined;
  const args = grpoConfigArgs(c, opts)
    .map((a) => `    ${a.name}=${pyValue(a)},`)
    .join('\n');
  const lora = peftLoraConfig(c);
  const pip = [
    `"trl>=${excluded ? TRL_NONE_EXCLUDED : TRL_MIN}"`,
    'datasets',
    'accelerate',
    ...(lora ? ['peft'] : []),
    ...grader.packages,
  ].join(' ');
  const docs = [
    `"""GRPO fine-tuning exported from Cherry: ${opts.title.replace(/"""/g, "'''")}.`,
    '',
    'Run (one machine or a cluster, unchanged):',
    `    pip install ${pip}`,
    ...(grader.source.includes('meteor_score') ? ["    python -m nltk.downloader wordnet  # nltk's METEOR reads WordNet"] : []),
    '    accelerate launch train_grpo.py',
    `Data next to this file: ${opts.trainFile}${evaluate ? ` and ${opts.validationFile}` : ''} (OpenAI RFT rows:`,
    '{"messages": [{"role": "user", "content": ...}], ...reference fields}); each row\'s other fields reach the',
    'grader as item[...]. Choose the model with CHERRY_BASE_MODEL=<Hugging Face id or folder>.',
    '',
    'What did not carry over exactly:',
    ...notes.map((n) => `  - ${n}`),
    '"""',
  ].join('\n');
  const versionCheck = excluded
    ? `import trl\n\nif tuple(int(x) for x in re.findall(r"\\d+", trl.__version__)[:2]) < (${TRL_NONE_EXCLUDED.replace('.', ', ')}):\n` +
      `    raise SystemExit("TRL " + trl.__version__ + " counts a None reward as 0; this script needs trl>=${TRL_NONE_EXCLUDED} "\n` +
      `                     "(pip install 'trl>=${TRL_NONE_EXCLUDED}'), or export again with invalid_reward 'zero'")\n`
    : '';
  const load = `def _load(name):
    ds = load_dataset("json", data_files=os.path.join(HERE, name), split="train")
    return ds.rename_column("messages", "prompt")  # TRL's conversational prompt column`;
  const main = `def main():
    trainer = GRPOTrainer(
        model=MODEL,
        reward_funcs=cherry_reward,
        args=config,
${lora ? '        peft_config=peft_config,\n' : ''}        train_dataset=_load(${pyStr(opts.trainFile)}),
${evaluate ? `        eval_dataset=_load(${pyStr(opts.validationFile ?? '')}),\n` : ''}    )
    trainer.train()
    trainer.save_model(config.output_dir)


if __name__ == "__main__":
    main()`;
  const script =
    [
      `#!/usr/bin/env python3\n${docs}`,
      `# ---- grader: grade(sample, item) ----\n${grader.source.trimEnd()}`,
      `# ---- training ----\nimport os\n\nfrom datasets import load_dataset\n${versionCheck}from trl import GRPOConfig, GRPOTrainer\n\n` +
        `MODEL = os.environ.get("CHERRY_BASE_MODEL", ${pyStr(opts.model)})\nHERE = os.path.dirname(os.path.abspath(__file__))\n` +
        `INVALID_REWARD = ${excluded ? 'None  # excluded from the group (TRL >= ' + TRL_NONE_EXCLUDED + ')' : '0.0  # counts as 0'}`,
      REWARD.trim(),
      load,
      `config = GRPOConfig(\n${args}\n)` +
        (lora
          ? `\n\n# LoRA: only the adapter trains; the reference policy is the base with the adapter off\nfrom peft import LoraConfig\n\npeft_config = ${lora}`
          : ''),
      main,
    ].join('\n\n\n') + '\n';
  return { script, notes };
}
