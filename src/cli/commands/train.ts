// `cherry train`: run RFT (or SFT) on a task from the shell. Evaluates on the test split before and
// after (greedy and at the training temperature, same prompts and seed), streams one line per step,
// and with --out writes a checkpoint folder that `cherry generate --model` loads, plus metrics.jsonl (a line per
// step) and samples.jsonl (every graded completion of every step: prompt, completion, reward, details, advantage, group).
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bool, num, str, UsageError, type Args } from '../args';
import { LORA_FLAGS, loraFromArgs } from '../adapterDir';
import { assertFits, planJson, planMemory, type MemoryPlan } from '../../model/memoryPlan';
import { withPeakBytes } from '../../model/memoryPeak';
import { promptIds } from '../../tokenizer';
import { loadModelDir, useBackend } from '../modelDir';
import { modelDirFromArg } from '../../hub/node';
import { graderFromFile } from '../graderFile';
import { builtinModelDir, FolderCheckpointSink, taskFromArg } from '../modelLoad';
import { loadGrader } from '../../graders';
import { invalidRewardFlag, JUDGE_FLAGS, JUDGE_HELP, judgeFromArgs } from '../judgeFlags';
import type { Grader } from '../../graders/types';
import type { Llama } from '../../model';
import type { Tokenizer } from '../../tokenizer';
import type { Task } from '../../tasks/types';
import { ALGOS, type Algo, type RLConfig } from '../../rl/config';
import { evaluate } from '../../rl/evaluate';
import { flattenStepMetrics, type StepMetrics } from '../../schema/metrics';
import { Trainer } from '../../rl/trainer';
import { samplesToJsonl } from '../../export/tables';

export const help =
  'fine-tune on a task: --task <name|file.jsonl> [--model DIR|hf:ORG/NAME|URL] [--grader FILE] [--algo ' +
  ALGOS.join('|') +
  '] [--steps N] ' +
  '[--group-size G] [--batch-prompts B] [--lr X] [--beta X] [--temperature T] [--max-new-tokens N] [--eval-every K] ' +
  '[--eval-n N (default 256)] [--seed S] [--micro-batch N] [--out DIR] [--backend wasm|cpu] [--json] ' +
  '[--lora-rank R [--lora-alpha A] [--lora-targets q_proj,v_proj,…] [--lora-dropout P] [--rslora]] ' +
  JUDGE_HELP;

/** Test (and validation) prompts evaluated when --eval-n is not given; see run() for why 256. */
export const DEFAULT_EVAL_N = 256;

/** Flags that map one to one onto RLConfig fields. */
const FLAG_FIELDS: [string, keyof RLConfig][] = [
  ['steps', 'max_steps'],
  ['group-size', 'num_generations'],
  ['batch-prompts', 'batch_prompts'],
  ['lr', 'learning_rate'],
  ['beta', 'beta'],
  ['temperature', 'temperature'],
  ['max-new-tokens', 'max_completion_length'],
  ['eval-every', 'eval_interval'],
  ['seed', 'seed'],
  ['micro-batch', 'micro_batch_rows'],
];
const KNOWN = new Set([
  'task',
  'model',
  'grader',
  'algo',
  'eval-n',
  'out',
  'backend',
  'json',
  ...FLAG_FIELDS.map(([f]) => f),
  ...LORA_FLAGS,
  ...JUDGE_FLAGS,
]);

function configFromArgs(args: Args, task: Task): Partial<RLConfig> {
  for (const k of args.flags.keys()) if (!KNOWN.has(k)) throw new UsageError(`unknown flag --${k}; see \`npm run cherry -- help\``);
  const algo = str(args, 'algo', 'grpo');
  if (!ALGOS.some((a) => a === algo)) throw new UsageError(`--algo must be one of ${ALGOS.join(', ')}, got '${algo}'`);
  const out: Partial<Record<keyof RLConfig, unknown>> = { algo: algo as Algo, max_completion_length: task.maxNewTokens }; // checked against ALGOS above
  for (const [flag, field] of FLAG_FIELDS) {
    const v = num(args, flag);
    if (v !== undefined) out[field] = v;
  }
  const invalid = invalidRewardFlag(args);
  if (invalid !== undefined) out.invalid_reward = invalid;
  return out as Partial<RLConfig>; // resolveConfig validates every field's type and range
}

/** The memory plan of the run: rows as long as the longest of 64 training prompts plus max_completion_length. */
function runPlan(model: Llama, tok: Tokenizer, task: Task, cfg: RLConfig, lora: ReturnType<typeof loraFromArgs>): MemoryPlan {
  const prompts = task.items('train', 64).map((it) => (typeof it.prompt === 'string' ? promptIds(tok, it.prompt).length : 0));
  return planMemory(model.config, {
    lora,
    group: cfg.num_generations,
    batchPrompts: cfg.batch_prompts,
    maxLen: Math.max(1, ...prompts) + cfg.max_completion_length + 1,
    klReference: cfg.beta > 0,
    microBatchRows: cfg.micro_batch_rows || undefined,
  });
}

/** Greedy and sampled mean reward; greedy per class of item when the task has classes (Task.itemClass). */
interface EvalPair {
  greedy: number;
  sampled: number;
  greedyByClass?: Record<string, number>;
}

async function evalBoth(model: Llama, tok: Tokenizer, task: Task, grader: Grader, n: number, cfg: RLConfig): Promise<EvalPair> {
  const common = { split: 'test' as const, n, seed: cfg.seed, maxNewTokens: cfg.max_completion_length };
  const greedy = await evaluate(model, tok, task, grader, { ...common, samplesPerPrompt: 1, temperature: 0 });
  const sampled = await evaluate(model, tok, task, grader, { ...common, samplesPerPrompt: 4, temperature: cfg.temperature });
  return { greedy: greedy.reward_mean, sampled: sampled.reward_mean, greedyByClass: greedy.by_class };
}

function fmt(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined ? '-' : x.toFixed(digits);
}

function progressLine(m: StepMetrics, total: number): string {
  const s = (ms: number | null | undefined) => fmt((ms ?? 0) / 1000, 2);
  const step = m.step + 1;
  const parts =
    m.sft_loss !== undefined
      ? [`sft_loss ${fmt(m.sft_loss)}`]
      : [
          `reward ${fmt(m.reward_mean)} ±${fmt(m.reward_std, 2)}`,
          `zero-std ${fmt(m.frac_groups_zero_std, 2)}`,
          `kl ${fmt(m.kl, 4)}`,
          `len ${fmt(m.completion_length_mean, 1)}`,
        ];
  if (m.invalid) parts.push(`invalid ${m.invalid}/${m.n_samples ?? '?'}`);
  if (m.eval_reward_mean !== undefined) parts.push(`val ${fmt(m.eval_reward_mean)}`);
  if (m.update_skipped === 1) parts.push('UPDATE SKIPPED (non-finite)');
  const time =
    m.sampling_ms !== undefined
      ? `${s(m.step_ms)} s (sample ${s(m.sampling_ms)} / grade ${s(m.grading_ms)} / train ${s(m.training_ms)})`
      : `${s(m.training_ms)} s`;
  return `step ${step}/${total}  ${parts.join('  ')}  ${time}`;
}

export async function run(args: Args): Promise<void> {
  const taskArg = str(args, 'task');
  if (taskArg === undefined) throw new UsageError('--task <name|file.jsonl> is required');
  const graderFile = str(args, 'grader');
  const graderSource = graderFile === undefined ? undefined : graderFromFile(graderFile);
  const task = await taskFromArg(taskArg, graderSource);
  const partial = configFromArgs(args, task);
  // 256 test prompts by default: the binomial standard error of a mean reward near 0.7 is ~0.06 on 64
  // prompts (one prompt = 0.016) but ~0.03 on 256, which is what judging a +0.2 change needs; it costs
  // a few seconds more per 60-step arithmetic run (BENCHMARKS.md, "RFT engine").
  const evalN = num(args, 'eval-n', DEFAULT_EVAL_N);
  if (!Number.isInteger(evalN) || evalN < 1) throw new UsageError(`--eval-n must be a positive integer, got ${evalN}`);
  const json = bool(args, 'json');
  const outDir = str(args, 'out');
  await useBackend(str(args, 'backend', 'wasm'));
  const modelDir = await modelDirFromArg(str(args, 'model') ?? builtinModelDir(task));
  if (!existsSync(modelDir))
    throw new UsageError(
      `model folder ${modelDir} does not exist; pass --model <folder | hf:ORG/NAME | URL> (task '${task.name}' uses the built-in model '${task.model}')`,
    );
  const { model, tokenizer } = await loadModelDir(modelDir);
  if (tokenizer === null) {
    model.dispose();
    throw new UsageError(`${modelDir} has no tokenizer.json; training on text needs one`);
  }
  const lora = loraFromArgs(args, model.config);
  const judge = await judgeFromArgs(args);
  const grader = await loadGrader(graderSource ?? task.defaultGrader, undefined, {
    invalidReward: partial.invalid_reward,
    ...(judge ? { judge } : {}),
  });
  const sink = outDir === undefined ? undefined : new FolderCheckpointSink(outDir, join(modelDir, 'tokenizer.json'), modelDir);
  const files =
    outDir === undefined ? null : { dir: outDir, metrics: join(outDir, 'metrics.jsonl'), samples: join(outDir, 'samples.jsonl') };
  if (files) {
    mkdirSync(files.dir, { recursive: true });
    writeFileSync(files.metrics, '');
    writeFileSync(files.samples, '');
  }
  const trainer = new Trainer({
    model,
    tokenizer,
    task,
    grader,
    config: partial,
    evalPrompts: evalN,
    checkpoints: sink,
    lora: lora ?? undefined,
    onEvent: (e) => {
      if (e.kind === 'samples' && files) appendFileSync(files.samples, samplesToJsonl(e.samples));
      if (e.kind !== 'metrics') return;
      const line = JSON.stringify(flattenStepMetrics(e.metrics)); // flat, as metrics.jsonl always was: reward/<grader>, eval_reward/<class>
      if (files) appendFileSync(files.metrics, line + '\n');
      console.log(json ? line : progressLine(e.metrics, trainer.config.max_steps));
    },
  });
  try {
    const cfg = trainer.config;
    const plan = runPlan(model, tokenizer, task, cfg, lora);
    assertFits(plan);
    const t0 = performance.now();
    const before = await evalBoth(model, tokenizer, task, grader, evalN, cfg);
    if (!json)
      console.log(
        `${task.name}: ${cfg.algo}, ${cfg.max_steps} steps of ${cfg.batch_prompts} prompts × ${cfg.num_generations}; test reward before: greedy ${fmt(before.greedy)}, sampled ${fmt(before.sampled)}`,
      );
    const t1 = performance.now();
    let peakBytes = 0; // tf.memory().numBytes at its highest during the steps, beside the plan
    while (trainer.steps < trainer.config.max_steps) peakBytes = Math.max(peakBytes, (await withPeakBytes(() => trainer.step())).peakBytes);
    const t2 = performance.now();
    const after = await evalBoth(model, tokenizer, task, grader, evalN, trainer.config);
    if (sink) await trainer.checkpoint('end');
    const seconds = (performance.now() - t0) / 1000;
    const trainSeconds = (t2 - t1) / 1000;
    if (!json)
      console.log(
        `test reward after: greedy ${fmt(after.greedy)} (${after.greedy >= before.greedy ? '+' : ''}${fmt(after.greedy - before.greedy)}), sampled ${fmt(after.sampled)}; ${fmt(seconds, 1)} s (${fmt(trainSeconds / Math.max(1, trainer.steps), 2)} s/step)${outDir ? `; checkpoint in ${outDir}` : ''}`,
      );
    if (!json && before.greedyByClass && after.greedyByClass) {
      for (const [c, v] of Object.entries(after.greedyByClass))
        console.log(`  class ${c}: greedy ${fmt(before.greedyByClass[c])} -> ${fmt(v)}`);
    }
    if (json)
      console.log(
        JSON.stringify({
          final: true,
          eval_before: before.greedy,
          eval_after: after.greedy,
          eval_before_sampled: before.sampled,
          eval_after_sampled: after.sampled,
          steps: trainer.steps,
          seconds,
          train_seconds: trainSeconds,
          eval_n: evalN,
          eval_by_class:
            before.greedyByClass && after.greedyByClass ? { before: before.greedyByClass, after: after.greedyByClass } : undefined, // omitted by JSON.stringify
          lora: trainer.adapter ? { ...trainer.adapter.config, trainable_params: trainer.adapter.paramCount() } : undefined,
          memory: { measured_peak_bytes: peakBytes, planned_peak_bytes: plan.totalBytes, plan: planJson(plan) },
        }),
      );
  } finally {
    trainer.dispose();
    trainer.adapter?.dispose();
    grader.dispose();
    model.dispose();
  }
}
