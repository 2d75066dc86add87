// Model-core benchmark in headless Chromium against Node, measured in one run with the same code
// (scripts/benchModelCore.ts) and the same ~1M-parameter config as scripts/benchModel.ts:
//  1. Node wasm vs Chromium wasm at the Node benchmark's sizes (batch 64 sampling with and without the
//     KV cache, one training step of batch 8 x 64 tokens);
//  2. Chromium webgpu vs Chromium wasm at smaller sampling sizes: this machine's WebGPU is SwiftShader,
//     a software adapter (~0.45 GFLOP/s), so full sizes would take tens of minutes.
// Writes the tables under "## Chromium" in BENCHMARKS.md (other sections untouched).
//   npx vite build && npx tsx scripts/benchBrowser.ts
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { Page } from 'playwright-core';
import { openSession, type Session } from '../test/browser/harness';
import type { PageBackend } from '../test-pages/model';
import {
  benchParamCount,
  samplingTokensPerSecond,
  trainStepMs,
  BENCH_CONFIG,
  SAMPLING,
  TRAINING,
  type SamplingSizes,
  type TrainSizes,
} from './benchModelCore';
import { writeBenchmarkSection } from './benchmarksFile';

/** Sampling sizes for the webgpu comparison (software adapter): batch 64 as everywhere, fewer new tokens. */
const GPU_SAMPLING: SamplingSizes = { batch: 64, prompt: 8, newTokens: 8 };
/** Training sizes for webgpu: the same step, median of 3 instead of 5 (a step takes ~20 s on SwiftShader). */
const GPU_TRAINING: TrainSizes = { ...TRAINING, repeats: 3 };

/** Rounds of the Node-vs-Chromium wasm comparison. */
const ROUNDS = 2;

interface Figures {
  kv: number;
  noKv: number;
  stepMs: number;
}

/** Best of several runs: highest throughputs, shortest step. */
function best(runs: Figures[]): Figures {
  return {
    kv: Math.max(...runs.map((f) => f.kv)),
    noKv: Math.max(...runs.map((f) => f.noKv)),
    stepMs: Math.min(...runs.map((f) => f.stepMs)),
  };
}

async function openOn(s: Session, backend: 'wasm' | 'webgpu'): Promise<{ page: Page; info: PageBackend }> {
  const page = await s.newPage();
  await page.goto(`${s.url}test-pages/model.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const info = await page.evaluate((b) => window.cherryModel!.useBackend(b), backend); // set before `ready`
  if (info.backend !== backend || info.active !== backend)
    throw new Error(`Chromium gave ${info.active} instead of ${backend}: ${info.reason}`);
  return { page, info };
}

async function pageSampling(page: Page, kv: boolean, sizes: SamplingSizes, warmup: 'small' | 'same'): Promise<number> {
  return page.evaluate(([k, z, w]) => window.cherryModel!.bench.samplingTokensPerSecond(k, z, w), [kv, sizes, warmup] as const);
}

async function pageStep(page: Page, sizes: TrainSizes): Promise<number> {
  return page.evaluate((z) => window.cherryModel!.bench.trainStepMs({ sizes: z }), sizes);
}

function log(msg: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

async function main(): Promise<void> {
  if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') throw new Error('Node: the tfjs wasm backend did not start');
  const nodeThreads = getThreadsCount();
  const params = benchParamCount();
  const s = await openSession();
  const version = s.browser.version();
  let node: Figures, wasm: Figures, wasmSmall: { kv: number; noKv: number }, gpu: Figures, wasmInfo: PageBackend, gpuInfo: PageBackend;
  try {
    const w = await openOn(s, 'wasm');
    wasmInfo = w.info;
    // Node and Chromium alternate, ROUNDS times, best of each: other work on the shared machine comes and goes.
    const nodeRuns: Figures[] = [],
      pageRuns: Figures[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      log(`Node wasm, round ${i + 1}`);
      nodeRuns.push({ kv: await samplingTokensPerSecond(true), noKv: await samplingTokensPerSecond(false), stepMs: await trainStepMs() });
      log(`Chromium wasm, round ${i + 1}`);
      pageRuns.push({
        kv: await pageSampling(w.page, true, SAMPLING, 'small'),
        noKv: await pageSampling(w.page, false, SAMPLING, 'small'),
        stepMs: await pageStep(w.page, TRAINING),
      });
    }
    node = best(nodeRuns);
    wasm = best(pageRuns);
    wasmSmall = {
      kv: await pageSampling(w.page, true, GPU_SAMPLING, 'same'),
      noKv: await pageSampling(w.page, false, GPU_SAMPLING, 'same'),
    };
    await w.page.close();
    log('Chromium webgpu (software adapter: minutes)');
    const g = await openOn(s, 'webgpu');
    gpuInfo = g.info;
    gpu = {
      kv: await pageSampling(g.page, true, GPU_SAMPLING, 'same'),
      noKv: await pageSampling(g.page, false, GPU_SAMPLING, 'same'),
      stepMs: await pageStep(g.page, GPU_TRAINING),
    };
    await g.page.close();
    if (s.errors.length > 0) console.warn(`page console errors: ${s.errors.join(' | ')}`);
  } finally {
    await s.close();
  }

  const r = (a: number, b: number): string => `${a / b < 0.1 ? (a / b).toPrecision(2) : (a / b).toFixed(2)}x`;
  const tps = (x: number): string => `${x.toFixed(x < 100 ? 1 : 0)} tokens/s`;
  const ms = (x: number): string => `${x.toFixed(0)} ms`;
  const wasmDesc = wasmInfo.wasm
    ? `${wasmInfo.wasm.threads} thread${wasmInfo.wasm.threads === 1 ? '' : 's'}${wasmInfo.wasm.simd ? ' SIMD' : ''}`
    : '?';
  const S = SAMPLING,
    G = GPU_SAMPLING,
    T = TRAINING;
  const section = [
    '## Chromium',
    '',
    `\`npx vite build && npx tsx scripts/benchBrowser.ts\`, ${new Date().toISOString().slice(0, 10)}, headless Chromium ${version} ` +
      `(test-pages/model.html on the production build, COOP/COEP served) against Node ${process.version}, in one run. ` +
      `Same model and loops as the Node table (scripts/benchModelCore.ts): ${(params / 1e6).toFixed(2)}M params ` +
      `(vocab ${BENCH_CONFIG.vocabSize}, d ${BENCH_CONFIG.hiddenSize}, ${BENCH_CONFIG.numLayers} layers). Shared 2-core machine, no GPU: compare ratios. ` +
      `Node and Chromium wasm alternate, ${ROUNDS} rounds, best of each.`,
    '',
    `wasm: Node ${nodeThreads} thread${nodeThreads === 1 ? '' : 's'}; Chromium ${wasmDesc} (${wasmInfo.reason}).`,
    '',
    '| measurement | Node wasm | Chromium wasm | Chromium / Node |',
    '|---|---|---|---|',
    `| sampling, batch ${S.batch}, prompt ${S.prompt}, ${S.newTokens} new tokens, KV cache | ${tps(node.kv)} | ${tps(wasm.kv)} | ${r(wasm.kv, node.kv)} |`,
    `| same, no KV cache | ${tps(node.noKv)} | ${tps(wasm.noKv)} | ${r(wasm.noKv, node.noKv)} |`,
    `| KV cache speed-up | ${r(node.kv, node.noKv)} | ${r(wasm.kv, wasm.noKv)} | |`,
    `| training step (fwd+bwd+Adam), batch ${T.batch} x ${T.seqLen} tokens, median of ${T.repeats} | ${ms(node.stepMs)} | ${ms(wasm.stepMs)} | ${r(node.stepMs, wasm.stepMs)} (speed) |`,
    '',
    `webgpu here is ${gpuInfo.softwareAdapter ? "SwiftShader's software adapter, not a GPU" : 'a hardware adapter'} (${gpuInfo.reason}). ` +
      `Sampling uses ${G.newTokens} new tokens per row and is timed after one identical call (WebGPU compiles shaders per shape); ` +
      `the training step is the same as above, median of ${GPU_TRAINING.repeats} after a warm-up step. wasm is re-measured at the same sizes.`,
    '',
    '| measurement | Chromium wasm | Chromium webgpu | webgpu / wasm |',
    '|---|---|---|---|',
    `| sampling, batch ${G.batch}, prompt ${G.prompt}, ${G.newTokens} new tokens, KV cache | ${tps(wasmSmall.kv)} | ${tps(gpu.kv)} | ${r(gpu.kv, wasmSmall.kv)} |`,
    `| same, no KV cache | ${tps(wasmSmall.noKv)} | ${tps(gpu.noKv)} | ${r(gpu.noKv, wasmSmall.noKv)} |`,
    `| KV cache speed-up | ${r(wasmSmall.kv, wasmSmall.noKv)} | ${r(gpu.kv, gpu.noKv)} | |`,
    `| training step, batch ${T.batch} x ${T.seqLen} tokens | ${ms(wasm.stepMs)} | ${ms(gpu.stepMs)} | ${r(wasm.stepMs, gpu.stepMs)} (speed) |`,
    '',
  ].join('\n');
  console.log(section);
  writeBenchmarkSection('Chromium', section);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
