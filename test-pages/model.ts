// Browser-test page for the model core: exposes backend choice, model loading from a URL, greedy
// generation and the shared model benchmarks (scripts/benchModelCore.ts) to page.evaluate.
// Used by test/browser/model.test.ts and scripts/benchBrowser.ts; built into dist/ only for them.
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, type BackendName } from '../src/worker/backend';
import { WASM_URLS } from '../src/worker/wasmUrls';
import { generate, llamaFromSafetensors, loadCheckpoint, tokenLogprobs, type CheckpointFiles, type Llama } from '../src/model';
import { benchParamCount, samplingTokensPerSecond, trainStepMs, BENCH_CONFIG, SAMPLING, TRAINING } from '../scripts/benchModelCore';

/**
 * tfjs starts each wasm thread from the text of its Emscripten factory; a minified bundle breaks that
 * (see src/worker/trainWorker.ts). This page is minified in a production build, so run wasm
 * single-threaded when our own function names were mangled.
 */
function threadsOffReason(): string | null {
  const probe = function cherryModelPageProbe(): void {};
  return probe.name === 'cherryModelPageProbe' ? null : 'this build minifies the page, which breaks tfjs threaded wasm';
}

/** What the page got when asked for a backend. */
export interface PageBackend {
  /** What chooseBackend reports. */
  backend: BackendName;
  /** tf.getBackend() afterwards (must equal `backend`). */
  active: string;
  /** chooseBackend's one-line reason. */
  reason: string;
  /** wasm threads and SIMD when wasm won, else null. */
  wasm: { threads: number; simd: boolean } | null;
  /** Whether the WebGPU adapter is a software one; null when there is none. */
  softwareAdapter: boolean | null;
}

let model: Llama | null = null;

/** Sets `name` exactly (no fallback: a backend that cannot start throws). */
async function useBackend(name: BackendName): Promise<PageBackend> {
  const c = await chooseBackend(name, { wasmPaths: WASM_URLS, fallback: false, wasmThreadsOff: threadsOffReason() });
  return {
    backend: c.backend,
    active: tf.getBackend(),
    reason: c.reason,
    wasm: c.details.wasm,
    softwareAdapter: c.details.adapter ? c.details.adapter.software : null,
  };
}

/** The files under `base` over HTTP: a 404 reads as "no such file". */
function httpFiles(base: string): CheckpointFiles {
  return {
    read: async (name) => {
      const r = await fetch(base + name);
      if (r.status === 404) return null;
      if (!r.ok) throw new Error(`GET ${base + name} answered ${r.status}: serve the model folder there`);
      return new Uint8Array(await r.arrayBuffer());
    },
  };
}

/** Loads the checkpoint under `base` (config.json, then model.safetensors or a sharded index) onto the current backend; returns the parameter count. */
async function loadModel(base: string): Promise<number> {
  const cp = await loadCheckpoint(httpFiles(base), base);
  model?.dispose();
  model = llamaFromSafetensors(cp.config, cp.tensors, cp.weightsSource);
  return model.paramCount();
}

/** log p(ids[b][t] | ids[b][<t]) for t >= 1 of several sequences. */
async function logprobsBatch(seqs: number[][]): Promise<number[][]> {
  if (!model) throw new Error('no model loaded: call loadModel(base) first');
  const out: number[][] = [];
  for (const s of seqs) out.push((await logprobs(s)).logprobs);
  return out;
}

/** Greedy continuation of one prompt (no EOS stop), with the backend that computed it. */
async function greedy(prompt: number[], maxNewTokens: number): Promise<{ ids: number[]; backend: string }> {
  if (!model) throw new Error('no model loaded: call loadModel(base) first');
  const r = await generate(model, [prompt], { maxNewTokens, temperature: 0, eosIds: [] });
  return { ids: r.ids[0], backend: tf.getBackend() };
}

/** log p(ids[t] | ids[<t]) for t >= 1 of one sequence, with the backend that computed them. */
async function logprobs(ids: number[]): Promise<{ logprobs: number[]; backend: string }> {
  if (!model) throw new Error('no model loaded: call loadModel(base) first');
  const r = tokenLogprobs(model, [ids]);
  const out = Array.from(await r.logprobs.data());
  r.logprobs.dispose();
  return { logprobs: out, backend: tf.getBackend() };
}

/** Frees the loaded model. */
function unload(): void {
  model?.dispose();
  model = null;
}

const api = {
  useBackend,
  loadModel,
  greedy,
  logprobs,
  logprobsBatch,
  unload,
  numTensors: (): number => tf.memory().numTensors,
  bench: { benchParamCount, samplingTokensPerSecond, trainStepMs, BENCH_CONFIG, SAMPLING, TRAINING },
};
export type ModelPageApi = typeof api;

declare global {
  interface Window {
    cherryModel?: ModelPageApi;
  }
}
window.cherryModel = api;
document.body.dataset.ready = 'true';
