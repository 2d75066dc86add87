// The page side of `npm run build:models -- --device browser` (scripts/models/browserBuild.ts drives it):
// runs the training phases of one built-in model (scripts/models/train.ts trainModel, the same code as
// the Node build) on this page's tfjs backend. Checkpoint files go to the Node side's cache folder and
// progress goes to its progress bar, both through functions Node exposes (page.exposeFunction).
// Also used by test/browser/buildModels.test.ts.
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, type BackendName } from '../src/worker/backend';
import { summarizeAdapter, webgpuSkipReason, field, type AdapterSummary } from '../src/worker/backendPolicy';
import { WASM_URLS } from '../src/worker/wasmUrls';
import { loadGrader } from '../src/graders';
import { loadCherryTokenizer } from '../src/tokenizer';
import { MODEL_SPECS, specTask } from '../scripts/models/specs';
import { scaleSpec, specData, trainModel } from '../scripts/models/train';
import { browserCacheStore, CACHE_BINDING, type CacheBinding } from '../scripts/models/cacheStoreBrowser';
import type { ProgressSink } from '../scripts/models/progress';

/** Name of the exposed progress function on `window`. */
export const PROGRESS_BINDING = 'cherryBuildProgress';

/** One progress call forwarded to Node (the ProgressSink methods as data). */
export type ProgressCall =
  | { kind: 'start'; label: string; total: number; done: number }
  | { kind: 'tick'; done: number; note: string }
  | { kind: 'note'; text: string }
  | { kind: 'done' };

/** What the page was asked to train. */
export interface TrainRequest {
  /** Name of a built-in model (MODEL_SPECS). */
  model: string;
  /** --steps-scale, in (0, 1]. */
  scale: number;
  /** recipeHash of the scaled spec as Node computed it (the page's minified functions would hash differently). */
  recipe: string;
  /** specData of the scaled spec on the Node side: must equal the page's, or dist/ is stale. */
  specData: string;
  /** Stop after this many steps in this session (as a kill would), or null for no limit. */
  sessionSteps: number | null;
  /** Checkpoint at least this often, ms of training. */
  checkpointMs: number;
}

/** What the page reports after training. */
export interface TrainResult {
  /** 'done' when the recipe ran to its end; otherwise the phase where --session-steps stopped it. */
  phase: 'pretrain' | 'sft' | 'done';
  /** Steps each phase ran (all sessions). */
  stepsRun: { pretrain: number; sft: number };
  /** Training wall time, all sessions, ms. */
  trainMs: number;
  /** The backend that trained, tf.getBackend(). */
  backend: string;
  /** Tensors still alive after the model was freed (0 expected). */
  leaked: number;
}

/** The WebGPU adapter Chromium offers, and whether `auto` would use it (null) or why not. */
export interface AdapterProbe {
  adapter: AdapterSummary | null;
  /** Why WebGPU would be skipped in auto mode (no adapter, software adapter), or null when it is a hardware GPU. */
  skip: string | null;
}

/** tfjs starts wasm threads from a bundled function's source; a minified page breaks that (see test-pages/model.ts). */
function threadsOffReason(): string | null {
  const probe = function cherryBuildPageProbe(): void {};
  return probe.name === 'cherryBuildPageProbe' ? null : 'this build minifies the page, which breaks tfjs threaded wasm';
}

async function probeAdapter(): Promise<AdapterProbe> {
  const gpu = field(navigator, 'gpu');
  const request = field(gpu, 'requestAdapter');
  if (typeof request !== 'function') return { adapter: null, skip: 'no WebGPU here (navigator.gpu missing)' };
  const raw: unknown = await Reflect.apply(request, gpu, [{ powerPreference: 'high-performance' }]);
  const adapter = raw === null || raw === undefined ? null : summarizeAdapter(raw);
  return { adapter, skip: webgpuSkipReason('auto', adapter, adapter ? null : 'no WebGPU adapter (GPU blocklisted or disabled)') };
}

/** Sets `name` exactly (no fallback); returns tfjs's backend and chooseBackend's reason. */
async function useBackend(name: BackendName): Promise<{ backend: string; reason: string }> {
  const c = await chooseBackend(name, { wasmPaths: WASM_URLS, fallback: false, wasmThreadsOff: threadsOffReason() });
  return { backend: tf.getBackend(), reason: c.reason };
}

function binding<T>(name: string): T {
  const f: unknown = field(window, name);
  if (typeof f !== 'function')
    throw new Error(`window.${name} is missing: this page is driven by scripts/models/browserBuild.ts, which exposes it`);
  return f as T; // exposed by browserBuild.ts with this signature
}

/**
 * Forwards progress to Node. Each call is sent at once (an exposed function posts its message
 * synchronously, in call order), so Node's bar and its steps/s see the page's timing; `flush` waits
 * until every call has been answered.
 */
function forwardingProgress(): ProgressSink & { flush(): Promise<void> } {
  const send = binding<(c: ProgressCall) => Promise<void>>(PROGRESS_BINDING);
  let chain: Promise<unknown> = Promise.resolve();
  const post = (c: ProgressCall): void => {
    chain = Promise.all([chain, send(c)]);
  };
  return {
    start: (label, total, done) => post({ kind: 'start', label, total, done }),
    tick: (done, note) => post({ kind: 'tick', done, note }),
    note: (text) => post({ kind: 'note', text }),
    done: () => post({ kind: 'done' }),
    flush: async () => {
      await chain;
    },
  };
}

/** Trains (or resumes) one model on the current backend; the checkpoint lands in Node's cache folder. */
async function train(req: TrainRequest): Promise<TrainResult> {
  const base = MODEL_SPECS.find((s) => s.name === req.model);
  if (!base) throw new Error(`unknown model '${req.model}' on the build page; models: ${MODEL_SPECS.map((s) => s.name).join(', ')}`);
  const spec = scaleSpec(base, req.scale);
  if (specData(spec) !== req.specData) {
    throw new Error(
      `the build page (dist/) holds another recipe for ${req.model} than scripts/models/specs.ts: rebuild it with \`npx vite build\``,
    );
  }
  const before = tf.memory().numTensors;
  const tok = await loadCherryTokenizer();
  const grader = await loadGrader(specTask(spec).defaultGrader);
  const progress = forwardingProgress();
  try {
    const cache = browserCacheStore(req.model, binding<CacheBinding>(CACHE_BINDING));
    const { model, state } = await trainModel({
      spec,
      tok,
      grader,
      cache,
      progress,
      recipe: req.recipe,
      checkpointMs: req.checkpointMs,
      sessionSteps: req.sessionSteps ?? undefined,
    });
    model.dispose();
    return {
      phase: state.phase,
      stepsRun: state.stepsRun,
      trainMs: state.trainMs,
      backend: tf.getBackend(),
      leaked: tf.memory().numTensors - before,
    };
  } finally {
    grader.dispose();
    await progress.flush();
  }
}

const api = { probeAdapter, useBackend, train };
export type BuildPageApi = typeof api;

declare global {
  interface Window {
    cherryBuild?: BuildPageApi;
  }
}
window.cherryBuild = api;
document.body.dataset.ready = 'true';
