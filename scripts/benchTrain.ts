// The RFT loop, Node against headless Chromium, measured in one run: the built-in `arithmetic` task with
// its shipped model (public/models/cherry-arith), the default RLConfig (8 prompts x 8 samples), seed 1.
//  (a) Node, wasm: the Trainer exactly as `cherry train` builds it (src/cli/commands/train.ts);
//  (b) Chromium, wasm: the real train worker through TrainClient, as the app starts a run
//      (test-pages/train.ts: init → loadModel → start; per-step `metrics` and `samples` events);
//  (c) Chromium, webgpu: the same, for a couple of steps only: on this machine the adapter is SwiftShader
//      (software, not a GPU); skipped with the reason when the worker cannot get webgpu.
// Node and Chromium wasm alternate ROUNDS times (other work on the shared machine affects both alike); the
// first step of each run is a warm-up and is not counted; of each side the round with the lowest median
// step time is reported (best of rounds, as scripts/benchBrowser.ts does).
// Writes "## RFT loop (Node vs Chromium)" in BENCHMARKS.md (other sections untouched).
//   npx vite build --logLevel warn && npx tsx scripts/benchTrain.ts
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { Page } from 'playwright-core';
import { openSession } from '../test/browser/harness';
import type { TrainPageOpened, TrainPageRun } from '../test-pages/train';
import { loadModelDir, useBackend } from '../src/cli/modelDir';
import { builtinModelDir } from '../src/cli/modelLoad';
import { loadGrader } from '../src/graders';
import { getTask } from '../src/tasks';
import { promptIds, type Tokenizer } from '../src/tokenizer';
import { packSequences } from '../src/rl/batch';
import { DEFAULT_CONFIG, type RLConfig } from '../src/rl/config';
import type { StepExtras, StepMetrics } from '../src/schema/metrics';
import { Trainer } from '../src/rl/trainer';
import { writeBenchmarkSection } from './benchmarksFile';

const TASK = 'arithmetic';
/** Steps per run; step 1 is the warm-up (it stays below eval_interval, so no validation runs). */
const STEPS = 8;
/** Steps of the webgpu run (software adapter: a step takes tens of seconds); step 1 is the warm-up. */
const GPU_STEPS = 2;
/** Node / Chromium wasm rounds, interleaved. */
const ROUNDS = 2;
/** The run's overrides of DEFAULT_CONFIG: everything else is the default. */
const RUN_CONFIG: Partial<RLConfig> = { seed: 1, max_steps: STEPS };
/** Width bucket of the packed training batch: the Trainer's default (TrainerOptions.bucket), which both the CLI and the worker use. */
const BUCKET = 16;

/** One step as either side reports it. */
interface Step {
  metrics: StepMetrics;
  samples: { prompt: string; completion: string; tokens: number; trained?: boolean }[];
}
interface Run {
  steps: Step[];
  wallMs: number;
}

/** The figures of one run, over its steps after the warm-up. */
interface Figures {
  /** Median of step_ms and of its parts. */
  stepMs: number;
  samplingMs: number;
  gradingMs: number;
  trainingMs: number;
  /** Median over steps of generated tokens / sampling time. */
  samplingTps: number;
  /** Median over steps of tokens through forward+backward (rows x padded width) / training time. */
  trainingTps: number;
  /** Means per step: generated tokens, rows x padded width, real (unpadded) prompt+completion tokens, loss tokens. */
  genTokens: number;
  packedTokens: number;
  realTokens: number;
  lossTokens: number;
  /** Steps counted. */
  steps: number;
  /** Completions of every step (warm-up included), to compare the two sides' samples. */
  completions: string[][];
}

function log(msg: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b),
    m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function num(m: StepMetrics, key: keyof StepExtras): number {
  const v = m[key];
  if (typeof v !== 'number') throw new Error(`step ${String(m.step)}: the metrics record has no number '${key}' (got ${String(v)})`);
  return v;
}

function figures(run: Run, tok: Tokenizer, skip: number): Figures {
  const counted = run.steps.slice(skip);
  if (counted.length === 0) throw new Error(`the run has ${run.steps.length} steps; nothing is left after ${skip} warm-up step(s)`);
  let gen = 0,
    packed = 0,
    real = 0,
    loss = 0;
  const samplingTps: number[] = [],
    trainingTps: number[] = [];
  for (const s of counted) {
    const g = s.samples.reduce((a, x) => a + x.tokens, 0);
    // Cross-check with the trainer's own tokens_per_s (generated_tokens / sampling time).
    const reported = (num(s.metrics, 'tokens_per_s') * num(s.metrics, 'sampling_ms')) / 1000;
    if (Math.abs(reported - g) > 0.5)
      throw new Error(`step ${String(s.metrics.step)}: ${g} tokens in the samples but the metrics say ${reported.toFixed(1)}`);
    const rows = s.samples.filter((x) => x.trained !== false);
    const p = packSequences(
      rows.map((x) => promptIds(tok, x.prompt)),
      rows.map((x) => new Array<number>(x.tokens).fill(0)),
      0,
      BUCKET,
    );
    const through = p.ids.length * (p.ids[0]?.length ?? 0);
    gen += g;
    packed += through;
    real += p.attentionMask.reduce((a, row) => a + row.reduce((b, x) => b + x, 0), 0);
    loss += num(s.metrics, 'train_tokens');
    samplingTps.push((g * 1000) / num(s.metrics, 'sampling_ms'));
    trainingTps.push((through * 1000) / num(s.metrics, 'training_ms'));
  }
  const med = (k: keyof StepExtras): number => median(counted.map((s) => num(s.metrics, k)));
  const n = counted.length;
  return {
    stepMs: med('step_ms'),
    samplingMs: med('sampling_ms'),
    gradingMs: med('grading_ms'),
    trainingMs: med('training_ms'),
    samplingTps: median(samplingTps),
    trainingTps: median(trainingTps),
    genTokens: gen / n,
    packedTokens: packed / n,
    realTokens: real / n,
    lossTokens: loss / n,
    steps: n,
    completions: run.steps.map((s) => s.samples.map((x) => x.completion)),
  };
}

/** One run in this process, built the way `cherry train` builds it. */
async function nodeRun(): Promise<Run> {
  const task = getTask(TASK);
  const { model, tokenizer } = await loadModelDir(builtinModelDir(task));
  if (tokenizer === null) throw new Error(`${builtinModelDir(task)} has no tokenizer.json`);
  const grader = await loadGrader(task.defaultGrader);
  const steps = new Map<number, Step>();
  const at = (i: number): Step => {
    let s = steps.get(i);
    if (!s) {
      s = { metrics: { step: i }, samples: [] };
      steps.set(i, s);
    }
    return s;
  };
  const trainer = new Trainer({
    model,
    tokenizer,
    task,
    grader,
    config: { max_completion_length: task.maxNewTokens, ...RUN_CONFIG },
    onEvent: (e) => {
      if (e.kind === 'metrics') at(e.step).metrics = e.metrics;
      else if (e.kind === 'samples')
        at(e.step).samples = e.samples.map((s) => ({ prompt: s.prompt, completion: s.completion, tokens: s.length, trained: s.trained }));
    },
  });
  try {
    const t0 = performance.now();
    await trainer.run();
    return { steps: [...steps.keys()].sort((a, b) => a - b).map((k) => at(k)), wallMs: performance.now() - t0 };
  } finally {
    trainer.dispose();
    grader.dispose();
    model.dispose();
  }
}

async function openOn(page: Page, backend: 'wasm' | 'webgpu'): Promise<TrainPageOpened> {
  return page.evaluate(([b, m]) => window.cherryTrain!.open(b, m), [backend, getTask(TASK).model] as const);
}

async function pageRun(page: Page, maxSteps: number, timeoutMs: number): Promise<Run> {
  const body = {
    config: { ...RUN_CONFIG, max_steps: maxSteps },
    task: { kind: 'builtin' as const, name: TASK },
    grader: getTask(TASK).defaultGrader,
  };
  const r: TrainPageRun = await page.evaluate(([b, t]) => window.cherryTrain!.run(b, t), [body, timeoutMs] as const);
  if (r.final.state !== 'stopped' || r.steps.length !== maxSteps) {
    throw new Error(
      `the Chromium run ended '${r.final.state}' after ${r.steps.length} of ${maxSteps} steps: ${r.errors.map((e) => `${e.name}: ${e.message}`).join(' | ')}`,
    );
  }
  if (r.errors.length > 0) log(`worker error events (the run went on): ${r.errors.map((e) => `${e.name}: ${e.message}`).join(' | ')}`);
  return { steps: r.steps.map((s) => ({ metrics: s.metrics, samples: s.samples })), wallMs: r.wallMs };
}

/** Fewest median step time: the round least disturbed by other work. */
function best(runs: Figures[]): Figures {
  return runs.reduce((a, b) => (b.stepMs < a.stepMs ? b : a));
}

function sameSamples(a: Figures, b: Figures): string {
  const n = Math.min(a.completions.length, b.completions.length);
  let same = 0;
  for (let i = 0; i < n; i++) if (JSON.stringify(a.completions[i]) === JSON.stringify(b.completions[i])) same++;
  return `${same} of ${n}`;
}

async function main(): Promise<void> {
  await useBackend('wasm'); // as `cherry train` does (default --backend wasm)
  const nodeThreads = getThreadsCount();
  const nodeSimd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const task = getTask(TASK);
  const probe = await loadModelDir(builtinModelDir(task));
  const params = probe.model.paramCount();
  probe.model.dispose();
  const tok = probe.tokenizer;
  if (tok === null) throw new Error(`${builtinModelDir(task)} has no tokenizer.json`);
  const load0 = loadavg()[0];
  const s = await openSession();
  const version = s.browser.version();
  const nodeRuns: Figures[] = [],
    pageRuns: Figures[] = [];
  let wasmInfo: TrainPageOpened, gpu: { info: TrainPageOpened; fig: Figures } | { skipped: string };
  try {
    const page = await s.newPage();
    await page.goto(`${s.url}test-pages/train.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    wasmInfo = await openOn(page, 'wasm');
    if (wasmInfo.backend !== 'wasm')
      throw new Error(`the Chromium train worker got ${wasmInfo.backend} instead of wasm: ${wasmInfo.reason}`);
    for (let i = 0; i < ROUNDS; i++) {
      log(`Node wasm, round ${i + 1}: ${STEPS} steps`);
      nodeRuns.push(figures(await nodeRun(), tok, 1));
      log(`  median step ${nodeRuns[i].stepMs.toFixed(0)} ms`);
      log(`Chromium wasm (train worker), round ${i + 1}: ${STEPS} steps`);
      pageRuns.push(figures(await pageRun(page, STEPS, 300_000), tok, 1));
      log(`  median step ${pageRuns[i].stepMs.toFixed(0)} ms`);
    }
    log(`Chromium webgpu (train worker), ${GPU_STEPS} steps: software adapter, minutes`);
    try {
      const info = await openOn(page, 'webgpu');
      if (info.backend !== 'webgpu') gpu = { skipped: `the train worker could not get webgpu (${info.reason})` };
      else gpu = { info, fig: figures(await pageRun(page, GPU_STEPS, 1_200_000), tok, 1) };
    } catch (e) {
      gpu = { skipped: `the webgpu run failed: ${e instanceof Error ? e.message : String(e)}` };
    }
    if ('fig' in gpu) log(`  step ${gpu.fig.stepMs.toFixed(0)} ms`);
    await page.evaluate(() => window.cherryTrain!.close());
    if (s.errors.length > 0) console.warn(`page console errors: ${s.errors.join(' | ')}`);
  } finally {
    await s.close();
  }
  const load1 = loadavg()[0];

  const node = best(nodeRuns),
    wasm = best(pageRuns);
  const r = (a: number, b: number): string => `${a / b < 0.1 ? (a / b).toPrecision(2) : (a / b).toFixed(2)}x`;
  const ms = (x: number): string => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
  const tps = (x: number): string => `${x.toFixed(x < 100 ? 1 : 0)} tokens/s`;
  const wasmDesc = wasmInfo.wasm
    ? `${wasmInfo.wasm.threads} thread${wasmInfo.wasm.threads === 1 ? '' : 's'}${wasmInfo.wasm.simd ? ' SIMD' : ''}`
    : '?';
  const rows = (a: Figures, b: Figures): string[] => [
    `| time per step (median) | ${ms(a.stepMs)} | ${ms(b.stepMs)} | ${r(a.stepMs, b.stepMs)} (speed) |`,
    `| — sampling | ${ms(a.samplingMs)} | ${ms(b.samplingMs)} | ${r(a.samplingMs, b.samplingMs)} (speed) |`,
    `| — grading | ${ms(a.gradingMs)} | ${ms(b.gradingMs)} | ${r(a.gradingMs, b.gradingMs)} (speed) |`,
    `| — training (fwd+bwd+AdamW) | ${ms(a.trainingMs)} | ${ms(b.trainingMs)} | ${r(a.trainingMs, b.trainingMs)} (speed) |`,
    `| sampling tokens/s (generated / sampling time, median) | ${tps(a.samplingTps)} | ${tps(b.samplingTps)} | ${r(b.samplingTps, a.samplingTps)} |`,
    `| training tokens/s (rows x padded width / training time, median) | ${tps(a.trainingTps)} | ${tps(b.trainingTps)} | ${r(b.trainingTps, a.trainingTps)} |`,
    `| tokens per step (mean): generated / through fwd+bwd (real) / in the loss | ${a.genTokens.toFixed(0)} / ${a.packedTokens.toFixed(0)} (${a.realTokens.toFixed(0)}) / ${a.lossTokens.toFixed(0)} | ` +
      `${b.genTokens.toFixed(0)} / ${b.packedTokens.toFixed(0)} (${b.realTokens.toFixed(0)}) / ${b.lossTokens.toFixed(0)} | |`,
  ];
  const c = { ...DEFAULT_CONFIG, max_completion_length: task.maxNewTokens, ...RUN_CONFIG };
  const lines = [
    '## RFT loop (Node vs Chromium)',
    '',
    `\`npx vite build --logLevel warn && npx tsx scripts/benchTrain.ts\`, ${new Date().toISOString().slice(0, 10)}, headless Chromium ${version} ` +
      `against Node ${process.version}, tfjs ${tf.version.tfjs}, in one run. Task \`${TASK}\` with its shipped model \`${task.model}\` ` +
      `(${(params / 1e6).toFixed(2)}M params), default RLConfig (${c.algo}, ${c.batch_prompts} prompts x ${c.num_generations} samples, ` +
      `up to ${c.max_completion_length} new tokens, mu ${c.num_iterations}, beta ${c.beta}), seed ${c.seed}. ` +
      `Node: the Trainer as \`cherry train\` builds it, wasm ${nodeThreads} thread${nodeThreads === 1 ? '' : 's'}${nodeSimd === true ? ' SIMD' : ''}. ` +
      `Chromium: the real train worker started through TrainClient as the app does (test-pages/train.ts: init, loadModel, start; ` +
      `runs saved to IndexedDB as in the app), wasm ${wasmDesc} (the worker's reason: ${wasmInfo.reason}). ${STEPS} steps per run, the first one a warm-up not counted; ` +
      `Node and Chromium alternate, ${ROUNDS} rounds; of each side the round with the lowest median step is shown ` +
      `(median step per round: Node ${nodeRuns.map((f) => ms(f.stepMs)).join(', ')}; Chromium ${pageRuns.map((f) => ms(f.stepMs)).join(', ')}). ` +
      `Times come from the per-step metrics the trainer emits (sampling_ms, grading_ms, training_ms; step_ms is their sum); ` +
      `token counts from the step's samples (completion lengths; prompts re-tokenized and packed as the trainer packs them, width bucket ${BUCKET}). ` +
      `Shared 2-core machine, no GPU, 1-minute load average ${load0.toFixed(1)} at the start and ${load1.toFixed(1)} at the end: compare ratios.`,
    '',
    `Same samples as Node (all ${c.batch_prompts * c.num_generations} completions of a step equal), steps: ${sameSamples(node, wasm)}.`,
    '',
    '| measurement | Node wasm | Chromium wasm | Chromium / Node |',
    '|---|---|---|---|',
    ...rows(node, wasm),
    '',
  ];
  if ('fig' in gpu) {
    lines.push(
      `Chromium webgpu: ${gpu.info.softwareAdapter ? "**SwiftShader's software adapter, not a GPU**" : 'a hardware adapter'} (${gpu.info.reason}). ` +
        `${GPU_STEPS} steps, the first (shader compilation) not counted, so ${gpu.fig.steps} step measured; compared with the Chromium wasm round above.`,
      '',
      '| measurement | Chromium wasm | Chromium webgpu | webgpu / wasm |',
      '|---|---|---|---|',
      ...rows(wasm, gpu.fig),
      '',
    );
  } else {
    lines.push(`Chromium webgpu: skipped, ${gpu.skipped}.`, '');
  }
  const section = lines.join('\n');
  console.log(section);
  writeBenchmarkSection('RFT loop (Node vs Chromium)', section);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
