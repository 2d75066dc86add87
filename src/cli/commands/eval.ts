// `cherry eval`: mean reward, pass@K and zero-variance groups of a model on a task split.
import { bool, num, str, UsageError, type Args } from '../args';
import { loadModelDir, useBackend } from '../modelDir';
import { modelDirFromArg } from '../../hub/node';
import { loadGrader } from '../../graders';
import { JUDGE_HELP, loadOptions } from '../judgeFlags';
import { graderFromFile } from '../graderFile';
import { builtinModelDir, taskFromArg } from '../modelLoad';
import { evaluate } from '../../rl/evaluate';
import type { Split } from '../../tasks';

export const help =
  'evaluate a model on a task: --task NAME|FILE.jsonl [--model DIR|hf:ORG/NAME|URL] [--grader FILE] [--split test] [--n 200] [--samples-per-prompt 8] [--temperature 1] [--seed 0] [--max-new-tokens N] [--backend wasm|cpu] [--json] ' +
  JUDGE_HELP;

function splitOf(v: string): Split {
  if (v === 'train' || v === 'validation' || v === 'test') return v;
  throw new UsageError(`--split must be train, validation or test, got '${v}'`);
}

function positiveInt(args: Args, flag: string, fallback: number): number {
  const v = num(args, flag, fallback);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${flag} must be a positive integer, got ${v}`);
  return v;
}

export async function run(args: Args): Promise<void> {
  const taskName = str(args, 'task');
  if (taskName === undefined) throw new UsageError('--task <name|file.jsonl> is required');
  const graderPath = str(args, 'grader');
  const graderSource = graderPath === undefined ? undefined : graderFromFile(graderPath);
  const task = await taskFromArg(taskName, graderSource);
  const split = splitOf(str(args, 'split', 'test'));
  const n = positiveInt(args, 'n', 200);
  const K = positiveInt(args, 'samples-per-prompt', 8);
  const maxNewTokens = positiveInt(args, 'max-new-tokens', task.maxNewTokens);
  const temperature = num(args, 'temperature', 1);
  if (temperature < 0) throw new UsageError('--temperature must be >= 0 (0 = greedy)');
  const seed = num(args, 'seed', 0);
  const dir = str(args, 'model', builtinModelDir(task));
  await useBackend(str(args, 'backend', 'wasm'));
  const { model, tokenizer } = await loadModelDir(await modelDirFromArg(dir));
  const grader = await loadGrader(graderSource ?? task.defaultGrader, undefined, await loadOptions(args));
  try {
    if (tokenizer === null) throw new UsageError(`${dir} has no tokenizer.json; eval needs one to turn prompts into ids`);
    const tok = tokenizer;
    const json = bool(args, 'json');
    const r = await evaluate(model, tok, task, grader, {
      split,
      n,
      samplesPerPrompt: K,
      temperature,
      seed,
      maxNewTokens,
      onProgress: json ? undefined : (done, total) => process.stderr.write(`\r${done}/${total} prompts`),
    });
    const out = {
      task: task.name,
      model: dir,
      n: r.n,
      reward_mean: r.reward_mean,
      reward_std: r.reward_std,
      pass_at_k: r.pass_at_k,
      frac_zero_std: r.frac_zero_std,
      // samples whose grader gave no valid score: null rewards, or ones --invalid-reward zero counted as 0 (they keep the error)
      invalid: r.samples.filter((s) => s.reward === null || s.error !== null).length,
      by_class: r.by_class, // absent for tasks without classes (JSON.stringify omits undefined)
    };
    if (json) {
      console.log(JSON.stringify(out));
      return;
    }
    process.stderr.write('\n');
    for (const s of r.samples.slice(0, Math.min(6, r.samples.length)))
      console.log(`${JSON.stringify(s.prompt)} → ${JSON.stringify(s.output)}  reward ${s.reward ?? 'null'}`);
    console.log(`task ${out.task}, model ${out.model}, ${split} split: ${r.n} prompts × ${K} samples at temperature ${temperature}`);
    console.log(
      `reward mean ${r.reward_mean.toFixed(4)} (std ${r.reward_std.toFixed(4)}), pass@${K} ${r.pass_at_k.toFixed(4)}, zero-variance groups ${r.frac_zero_std.toFixed(4)}${out.invalid > 0 ? `, invalid grades ${out.invalid} of ${r.samples.length}` : ''}`,
    );
    for (const [c, v] of Object.entries(r.by_class ?? {})) console.log(`  class ${c}: reward mean ${v.toFixed(4)}`);
  } finally {
    grader.dispose();
    model.dispose();
  }
}
