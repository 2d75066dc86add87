// Bench page: runs `cherry bench` (src/bench/run.ts) in a fresh Web Worker per call, the way the app runs
// tfjs (in its train worker), so wasm can use threads and WebGPU runs where it does in the app.
// Driven by scripts/benchThreads.ts (wasm, 1 thread vs navigator.hardwareConcurrency) and
// scripts/benchGpu.ts (WebGPU, plus a plain WGSL matmul on the page: test-pages/rawMatmul.ts); built into
// dist/ only for them.
import type { BenchOptions, BenchResult } from '../src/bench/run';
import type { AdapterSummary } from '../src/worker/backendPolicy';
import { rawMatmulGflops } from './rawMatmul';

/** One bench in a fresh worker. */
export interface BenchWorkerRequest {
  backend: 'wasm' | 'webgpu';
  /** wasm threads (null: tfjs's default). */
  threads: number | null;
  /** A Hugging Face config.json (parsed) and its name for error messages. */
  config: unknown;
  configName: string;
  /** Everything but the callback. */
  options: Omit<BenchOptions, 'onPart'>;
}

export type BenchWorkerReply =
  | { kind: 'done'; backend: string; reason: string; threads: number | null; adapter: AdapterSummary | null; result: BenchResult }
  | { kind: 'error'; message: string }
  | { kind: 'progress'; part: string };

export type BenchDone = Extract<BenchWorkerReply, { kind: 'done' }>;

function run(req: BenchWorkerRequest): Promise<BenchDone> {
  const w = new Worker(new URL('./benchWorker.ts', import.meta.url), { type: 'module', name: 'cherry-bench' });
  return new Promise<BenchDone>((resolve, reject) => {
    w.onmessage = (e: MessageEvent<BenchWorkerReply>) => {
      const r = e.data;
      if (r.kind === 'progress') {
        console.log(`bench: ${r.part}`);
        return;
      }
      w.terminate();
      if (r.kind === 'error') reject(new Error(r.message));
      else resolve(r);
    };
    w.onerror = (e) => {
      w.terminate();
      reject(new Error(`bench worker failed: ${e.message}`));
    };
    w.postMessage(req);
  });
}

const api = { run, rawMatmulGflops, hardwareConcurrency: navigator.hardwareConcurrency, crossOriginIsolated };
export type BenchPageApi = typeof api;

declare global {
  interface Window {
    cherryBench?: BenchPageApi;
  }
}
window.cherryBench = api;
document.body.dataset.ready = 'true';
