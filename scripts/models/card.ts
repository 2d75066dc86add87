// The shipped folder of a built model: weights, config, tokenizer, the baseline table measured on the
// test split, and a README model card that states the data, the steps, the losses and the baseline.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { llamaToSafetensors, type Llama } from '../../src/model';
import type { Grader } from '../../src/graders/types';
import { loadGrader } from '../../src/graders';
import { buildCherryTokenizer, buildCherryTokenizerConfig, type Tokenizer } from '../../src/tokenizer';
import { evaluate } from '../../src/rl/evaluate';
import { arithmeticLabelAccuracy, type Task } from '../../src/tasks';
import type { BuildState } from './checkpoint';
import type { ModelSpec } from './specs';
import { specTask } from './specs';

/** One row of the baseline table. */
export interface BaselineRow {
  grader: string;
  n: number;
  greedy_mean: number;
  sampled_mean: number;
  pass_at_8: number;
  frac_zero_std: number;
  /** arithmetic only: accuracy on the carry class (the mislabelled one), greedy and sampled. */
  carry_greedy?: number;
  carry_sampled?: number;
}

async function baselineRow(model: Llama, tok: Tokenizer, task: Task, grader: Grader, label: string, n: number): Promise<BaselineRow> {
  const greedy = await evaluate(model, tok, task, grader, { split: 'test', n, samplesPerPrompt: 1, temperature: 0, chunkPrompts: 64 });
  const sampled = await evaluate(model, tok, task, grader, {
    split: 'test',
    n,
    samplesPerPrompt: 8,
    temperature: 1,
    seed: 0,
    chunkPrompts: 32,
  });
  const row: BaselineRow = {
    grader: label,
    n: sampled.n,
    greedy_mean: greedy.reward_mean,
    sampled_mean: sampled.reward_mean,
    pass_at_8: sampled.pass_at_k,
    frac_zero_std: sampled.frac_zero_std,
  };
  if (task.name === 'arithmetic') {
    // the task's item classes: its mean reward on the carry class is its accuracy there
    row.carry_greedy = greedy.by_class?.carry ?? 0;
    row.carry_sampled = sampled.by_class?.carry ?? 0;
  }
  return row;
}

/** The baseline rows of a model: its task's default grader, and the fixed grader when there is one. */
export async function baseline(model: Llama, tok: Tokenizer, spec: ModelSpec, grader: Grader, n: number): Promise<BaselineRow[]> {
  const task = specTask(spec);
  const rows = [await baselineRow(model, tok, task, grader, `default (${graderName(task.defaultGrader)})`, n)];
  if (task.fixedGrader) {
    const fixed = await loadGrader(task.fixedGrader);
    try {
      rows.push(await baselineRow(model, tok, task, fixed, `fixed (${graderName(task.fixedGrader)})`, n));
    } finally {
      fixed.dispose();
    }
  }
  return rows;
}

function graderName(g: Task['defaultGrader']): string {
  return g.kind === 'spec' ? g.spec.name : (g.name ?? g.kind);
}

const f3 = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(3));

/** Where the training ran, for the card; the baseline is always measured in Node on wasm. */
export type TrainedOn = { device: 'node' } | { device: 'browser'; backend: 'webgpu' | 'wasm' };

function cardText(spec: ModelSpec, model: Llama, state: BuildState, rows: BaselineRow[], buildMs: number, on: TrainedOn): string {
  const task = specTask(spec);
  const c = spec.config;
  const last = (phase: 'pretrain' | 'sft') => [...state.history].reverse().find((h) => h.phase === phase && h.valReward === undefined);
  const checks = state.history.filter((h) => h.valReward !== undefined);
  const isArith = task.name === 'arithmetic';
  const labels = isArith ? arithmeticLabelAccuracy(task.items('train', spec.trainItems)) : null;
  const L: string[] = [];
  L.push(`# ${spec.name}`, '');
  L.push(
    `A ${(model.paramCount() / 1e6).toFixed(2)}M-parameter Llama (${c.numLayers} layers, width ${c.hiddenSize}, ${c.numHeads} heads, SwiGLU ${c.intermediateSize}, tied embeddings, RoPE θ ${c.ropeTheta}, ${c.maxPositionEmbeddings} positions) with Cherry's character tokenizer (vocabulary ${c.vocabSize}), built for the \`${task.name}\` task (${task.title}). ${task.rl ? 'It is meant as the starting point of an RFT run: it succeeds sometimes, with room to grow.' : 'This task is a lesson, not an RL baseline: the baseline band does not apply.'}`,
    '',
  );
  L.push(
    'Built by `npm run build:models` (scripts/buildModels.ts; recipe in scripts/models/specs.ts), seeded and reproducible, ' +
      (on.device === 'node'
        ? 'on the tfjs wasm backend in Node.'
        : `trained in headless Chromium on the tfjs ${on.backend} backend (\`--device browser\`), evaluated in Node on wasm.`),
    '',
  );
  L.push('## Data', '');
  L.push(
    `- **Pretraining** (${state.stepsRun.pretrain} steps × ${spec.pretrain.batchSize} rows, peak lr ${spec.pretrain.learningRate}): language modelling on domain text: ${spec.domainTextDoc}. No answers.`,
  );
  L.push(
    `- **SFT** (${state.stepsRun.sft} of at most ${spec.sft.steps} steps × ${spec.sft.batchSize} rows, peak lr ${spec.sft.learningRate}): prompt → \`task.sftTarget\` label of ${spec.trainItems} train-split problems, loss on the label tokens and <eos> only.`,
  );
  if (labels) {
    L.push(
      `- The arithmetic SFT labels are wrong **on purpose** on one class: additions whose tens column carries into the hundreds drop that carry in 65% of that class. Label accuracy on the train items: ${f3(labels.overall)} overall, ${f3(labels.carryClass)} on the carry class (${(labels.classFraction * 100).toFixed(0)}% of problems), ${f3(labels.other)} elsewhere. SFT is capped by these labels; the grader knows the truth.`,
    );
  }
  L.push(
    `- Optimizer: AdamW (β 0.9/0.99, weight decay 0.01 except norms), gradient clipping at 1, linear warm-up then cosine decay to 10% of the peak. Seed ${spec.seed}.`,
  );
  const stop =
    state.stopReason === 'band'
      ? `SFT **stopped early** at step ${state.stepsRun.sft}, the first validation check (every ${spec.evalEvery} steps, ${spec.evalPrompts} prompts × 8 samples at temperature 1) whose mean reward reached ${spec.stopAt}: the model is kept "somewhat good" on purpose, so RFT has something to do.`
      : spec.stopAt === null
        ? `SFT ran ${state.stepsRun.sft} steps${spec.sft.stopAfter !== undefined ? ` of its ${spec.sft.steps}-step learning-rate schedule (a fixed step, no early stop on reward)` : ''}: this model is meant to sit near the cap its labels allow, so that what RFT adds is visibly past the labels.`
        : `SFT ran all ${state.stepsRun.sft} steps${task.rl ? ` (the validation reward never reached the early-stop threshold ${spec.stopAt})` : ''}.`;
  L.push('', stop, '');
  L.push('## Losses', '');
  L.push(`- final pretraining loss: ${f3(last('pretrain')?.loss)} nats/token (mean of the last logged steps)`);
  L.push(`- final SFT loss: ${f3(last('sft')?.loss)} nats/token`, '');
  if (checks.length) {
    L.push(
      'Validation checks during SFT (temperature 1, 8 samples per prompt):',
      '',
      '| SFT step | mean reward | zero-std groups |',
      '|---:|---:|---:|',
    );
    for (const h of checks) L.push(`| ${h.step} | ${f3(h.valReward)} | ${f3(h.valZeroStd)} |`);
    L.push('');
  }
  L.push('## Baseline (test split)', '');
  L.push(
    'Greedy: one sample per prompt at temperature 0. Sampled: 8 samples per prompt at temperature 1, seed 0; pass@8 = fraction of prompts with a sample scoring 1; zero-std = fraction of groups of 8 whose rewards are all equal (no GRPO gradient).',
    '',
  );
  L.push(
    `| grader | prompts | greedy mean | sampled mean | pass@8 | zero-std groups${isArith ? ' | carry class greedy | carry class sampled' : ''} |`,
  );
  L.push(`|---|---:|---:|---:|---:|---:${isArith ? '|---:|---:' : ''}|`);
  for (const r of rows) {
    L.push(
      `| ${r.grader} | ${r.n} | ${f3(r.greedy_mean)} | ${f3(r.sampled_mean)} | ${f3(r.pass_at_8)} | ${f3(r.frac_zero_std)}${isArith ? ` | ${f3(r.carry_greedy)} | ${f3(r.carry_sampled)}` : ''} |`,
    );
  }
  L.push('');
  L.push(`Check it: \`npm run --silent cherry -- eval --task ${task.name} --split test --n ${rows[0]?.n ?? 200} --json\`.`, '');
  L.push('## Build', '');
  L.push(
    `Training took ${(state.trainMs / 60000).toFixed(1)} min of wall time (validation checks included); writing this folder (the baseline evaluation) took ${(buildMs / 60000).toFixed(1)} min, on a 2-core machine shared with other jobs, tfjs 4.22 ${on.device === 'node' ? 'wasm backend, one thread' : `${on.backend} backend in headless Chromium`}.`,
    '',
  );
  return L.join('\n');
}

/** Writes public/models/<name>/: config.json, model.safetensors, tokenizer files, baseline.json, README.md. */
export async function writeModelFolder(
  dir: string,
  spec: ModelSpec,
  model: Llama,
  state: BuildState,
  rows: BaselineRow[],
  buildMs: number,
  on: TrainedOn,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const { safetensors, config } = await llamaToSafetensors(model);
  writeFileSync(join(dir, 'model.safetensors'), safetensors);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(buildCherryTokenizer(), null, 2) + '\n');
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(buildCherryTokenizerConfig(), null, 2) + '\n');
  const summary = {
    model: spec.name,
    task: spec.task,
    params: model.paramCount(),
    steps: state.stepsRun,
    stop_reason: state.stopReason,
    train_minutes: state.trainMs / 60000,
    baseline: rows,
  };
  writeFileSync(join(dir, 'baseline.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(join(dir, 'README.md'), cardText(spec, model, state, rows, buildMs, on));
}

/** Writes <out>/README.md: one line per built model folder found (from its baseline.json). */
export function writeIndex(out: string): void {
  const rows: string[] = [];
  for (const name of readdirSync(out).sort()) {
    const p = join(out, name, 'baseline.json');
    if (!existsSync(p)) continue;
    const b = JSON.parse(readFileSync(p, 'utf8')) as {
      task: string;
      params: number;
      steps: { pretrain: number; sft: number };
      baseline: BaselineRow[];
    }; // written by writeModelFolder
    const d = b.baseline[0];
    rows.push(
      `| [${name}](${name}/README.md) | ${b.task} | ${(b.params / 1e6).toFixed(2)}M | ${b.steps.pretrain} + ${b.steps.sft} | ${d ? f3(d.greedy_mean) : '–'} | ${d ? f3(d.sampled_mean) : '–'} | ${d ? f3(d.pass_at_8) : '–'} | ${d ? f3(d.frac_zero_std) : '–'} |`,
    );
  }
  const text = [
    '# Built-in models',
    '',
    'Small char-level Llama models, one per task family, built by `npm run build:models` (scripts/buildModels.ts, recipes in scripts/models/specs.ts): pretraining on domain text, then SFT on the task labels, stopped early once the validation reward entered the baseline band (arithmetic: at a fixed step, near the cap its deliberately wrong labels allow). Each folder holds config.json, model.safetensors, tokenizer.json, tokenizer_config.json, baseline.json and a README.md model card.',
    '',
    "Baseline on the test split with the task's default grader (200 prompts, or the whole split when smaller; sampled = 8 samples per prompt at temperature 1). The band for RL tasks is a sampled mean of 0.15–0.75; reward-hacking is a lesson, not a baseline (its card also shows the fixed grader).",
    '',
    '| model | task | parameters | steps (pretrain + SFT) | greedy mean | sampled mean | pass@8 | zero-std groups |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    '## Reproducibility',
    '',
    '`npx tsx scripts/buildModels.ts --fresh --out DIR --cache DIR2` rebuilds every model from scratch into another folder; the weights come out byte-identical (same SHA-256 of every `model.safetensors`) with the same baseline tables. How long it took, and on what, is in BENCHMARKS.md, "Built-in models".',
    '',
  ].join('\n');
  writeFileSync(join(out, 'README.md'), text);
}
