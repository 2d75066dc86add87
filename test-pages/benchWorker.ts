// Worker of the bench page (test-pages/bench.ts): one `cherry bench` (src/bench/run.ts) on the backend and
// wasm thread count it is asked for, then it is terminated (tfjs starts wasm once per worker, so each
// thread count needs a fresh worker). Workers are built unminified (vite.config.ts), which tfjs's
// threaded wasm needs; the page itself is minified.
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../src/worker/backend';
import { WASM_URLS } from '../src/worker/wasmUrls';
import { parseHFConfig } from '../src/model';
import { runBench } from '../src/bench/run';
import type { BenchWorkerReply, BenchWorkerRequest } from './bench';

async function handle(req: BenchWorkerRequest): Promise<BenchWorkerReply> {
  const c = await chooseBackend(req.backend, { wasmPaths: WASM_URLS, fallback: false, wasmThreads: req.threads ?? undefined });
  if (tf.getBackend() !== req.backend) throw new Error(`asked for ${req.backend}, got ${tf.getBackend()}: ${c.reason}`);
  const config = parseHFConfig(req.config, req.configName);
  const result = await runBench(config, { ...req.options, onPart: (part) => postMessage({ kind: 'progress', part }) });
  return {
    kind: 'done',
    backend: c.backend,
    reason: c.reason,
    threads: c.details.wasm?.threads ?? null,
    adapter: c.details.adapter,
    result,
  };
}

onmessage = (e: MessageEvent<BenchWorkerRequest>) => {
  handle(e.data).then(
    (r) => postMessage(r),
    (err: unknown) => postMessage({ kind: 'error', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }),
  );
};
