// Benchmark page for the RFT loop as the app runs it: the real train worker (src/worker/trainWorker.ts,
// spawned by spawnTrainClient like src/ui/App.tsx does), driven through TrainClient with the same
// requests the page's EngineController sends (init → loadModel → start), collecting the streamed
// per-step `metrics` and `samples` events until the run stops at max_steps.
// Used by scripts/benchTrain.ts; built into dist/ (vite.config.ts picks up every test-pages/*.html).
import { spawnTrainClient } from '../src/worker/spawn';
import type { TrainClient } from '../src/worker/trainClient';
import type { BackendRequest, ModelInfo, RunStatus, SampleRecord, StartBody, StepMetrics, WireError } from '../src/worker/protocol';

/** What the worker got when asked for a backend, and the model it loaded. */
export interface TrainPageOpened {
  /** Backend the worker really uses (the worker falls back when the request fails, as in the app). */
  backend: string;
  /** The worker's one-line reason for its choice. */
  reason: string;
  /** wasm threads and SIMD when wasm won, else null. */
  wasm: { threads: number; simd: boolean; multithread: boolean } | null;
  /** Whether the WebGPU adapter is a software one (SwiftShader); null when there is none. */
  softwareAdapter: boolean | null;
  /** The loaded built-in model. */
  model: ModelInfo;
}

/** One step of a run as the page receives it. */
export interface TrainPageStep {
  /** 0-based step number. */
  step: number;
  /** The trainer's metrics record (sampling_ms, grading_ms, training_ms, step_ms, train_tokens, …). */
  metrics: StepMetrics;
  /** The step's samples, reduced to what the benchmark needs. */
  samples: (Pick<SampleRecord, 'prompt' | 'completion' | 'trained'> & { tokens: number })[];
}

/** A finished run. */
export interface TrainPageRun {
  steps: TrainPageStep[];
  /** The status that ended it ('stopped' at max_steps, or 'error'). */
  final: RunStatus;
  /** `error` events seen during the run (e.g. IndexedDB unavailable), in order. */
  errors: WireError[];
  /** Wall time from the start request to the final status, ms. */
  wallMs: number;
}

let client: TrainClient | null = null;

function live(): TrainClient {
  if (client === null) throw new Error('no train worker: call open(backend, model) first');
  return client;
}

/** Starts a fresh train worker on `backend` and loads the built-in `model` (public/models/<model>/). */
async function open(backend: BackendRequest, model: string): Promise<TrainPageOpened> {
  client?.close();
  client = spawnTrainClient();
  const choice = await client.request('init', { backend });
  const info = await client.request('loadModel', { source: { kind: 'builtin', name: model } });
  return {
    backend: choice.backend,
    reason: choice.reason,
    wasm: choice.details.wasm,
    softwareAdapter: choice.details.adapter ? choice.details.adapter.software : null,
    model: info,
  };
}

/** Starts a run and resolves once it has stopped (max_steps) or failed; `timeoutMs` bounds the wait. */
async function run(body: StartBody, timeoutMs: number): Promise<TrainPageRun> {
  const c = live();
  const metrics = new Map<number, StepMetrics>();
  const samples = new Map<number, TrainPageStep['samples']>();
  const errors: WireError[] = [];
  const unsubscribe: (() => void)[] = [];
  const t0 = performance.now();
  try {
    const final = await new Promise<RunStatus>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the run did not stop within ${timeoutMs} ms (${metrics.size} steps done)`)),
        timeoutMs,
      );
      unsubscribe.push(
        c.on('metrics', (e) => {
          metrics.set(e.step, e.metrics);
        }),
        c.on('samples', (e) => {
          samples.set(
            e.step,
            e.samples.map((s) => ({ prompt: s.prompt, completion: s.completion, tokens: s.length, trained: s.trained })),
          );
        }),
        c.on('error', (e) => {
          errors.push(e.error);
        }),
        c.on('status', (e) => {
          if (e.status.state === 'stopped' || e.status.state === 'error') {
            clearTimeout(timer);
            resolve(e.status);
          }
        }),
      );
      c.request('start', body).catch((err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
    const steps = [...metrics.keys()]
      .sort((a, b) => a - b)
      .map((step) => ({ step, metrics: metrics.get(step) ?? { step }, samples: samples.get(step) ?? [] }));
    return { steps, final, errors, wallMs: performance.now() - t0 };
  } finally {
    for (const u of unsubscribe) u();
  }
}

/** Terminates the worker. */
function close(): void {
  client?.close();
  client = null;
}

const api = { open, run, close };
export type TrainPageApi = typeof api;

declare global {
  interface Window {
    cherryTrain?: TrainPageApi;
  }
}
window.cherryTrain = api;
document.body.dataset.ready = 'true';
