// Picks and sets the tfjs backend, and reports only the backend it really got.
// `auto`: real-GPU WebGPU, then wasm (SIMD + threads when cross-origin isolated), then WebGL, then cpu.
// A candidate counts only when `tf.setBackend` resolves true, `tf.getBackend()` agrees, and a tiny
// op returns the right numbers; otherwise the next one is tried and the reason is kept.
// Runs in a Web Worker (where the page's tfjs lives), on a page, and in Node (wasm/cpu).
// The browser passes Vite `?url` paths of the wasm binaries (see wasmUrls.ts); Node finds them itself.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  adapterLabel,
  candidates,
  field,
  formatReason,
  summarizeAdapter,
  wasmNote,
  webgpuSkipReason,
  type AdapterSummary,
  type Attempt,
  type BackendName,
  type BackendRequest,
} from './backendPolicy';

export type { BackendName, BackendRequest } from './backendPolicy';

/** File names of the tfjs wasm binaries, as `setWasmPaths` keys them. */
export type WasmBinaryName = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';

/** Options for chooseBackend. */
export interface BackendOptions {
  /** URLs of the wasm binaries (browser builds); omit in Node, where tfjs finds them next to its code. */
  wasmPaths?: Partial<Record<WasmBinaryName, string>>;
  /** For an explicit request: try the rest of the auto order when it fails (true), or throw (false, default). */
  fallback?: boolean;
  /** Why multi-threaded wasm must not be used in this build, or null/absent to use it where supported. */
  wasmThreadsOff?: string | null;
  /** Threads for multi-threaded wasm (e.g. navigator.hardwareConcurrency; at most 8); absent = tfjs's default, hardwareConcurrency / 2. */
  wasmThreads?: number;
}

/** Everything learnt while choosing, for the badge tooltip and diagnostics. */
export interface BackendDetails {
  /** What was asked for. */
  requested: BackendRequest;
  /** Each backend tried or skipped, in order; exactly one has ok = true. */
  attempts: Attempt[];
  /** The WebGPU adapter the browser offered, or null (none, or not a browser). */
  adapter: AdapterSummary | null;
  /** `crossOriginIsolated` of the global scope (needed for wasm threads); null where undefined (Node). */
  crossOriginIsolated: boolean | null;
  /** wasm configuration when wasm won, else null (multithread: the threaded binary is in use). */
  wasm: { threads: number; simd: boolean; multithread: boolean } | null;
  /** Where this ran. */
  environment: 'node' | 'browser';
}

/** The result of choosing: the backend tfjs is using now, a one-line reason, and the details. */
export interface BackendChoice {
  backend: BackendName;
  reason: string;
  details: BackendDetails;
}

/** No candidate backend could be set (or an explicit one failed without fallback). */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
  constructor(
    readonly requested: BackendRequest,
    readonly attempts: Attempt[],
  ) {
    super(
      `Could not start the tfjs backend (${formatReason(requested, attempts)}). ` +
        (requested === 'auto'
          ? 'This browser may be too old; try a current Chrome, Edge or Firefox.'
          : `Choose another backend (auto, wasm or cpu always work in a current browser).`),
    );
  }
}

/** Chooses, sets and checks a tfjs backend. Throws BackendUnavailableError when none works. */
export async function chooseBackend(request: BackendRequest, opts: BackendOptions = {}): Promise<BackendChoice> {
  const isNode = tf.env().getBool('IS_NODE');
  const iso = field(globalThis, 'crossOriginIsolated');
  const details: BackendDetails = {
    requested: request,
    attempts: [],
    adapter: null,
    crossOriginIsolated: typeof iso === 'boolean' ? iso : null,
    wasm: null,
    environment: isNode ? 'node' : 'browser',
  };
  if (opts.wasmPaths) setWasmPaths(opts.wasmPaths);
  const threads =
    opts.wasmThreadsOff || opts.wasmThreads === undefined || opts.wasmThreads < 1
      ? null
      : Math.min(MAX_WASM_THREADS, Math.floor(opts.wasmThreads));
  if (opts.wasmThreadsOff) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  else if (threads !== null) setThreadsCount(threads);
  for (const name of candidates(request, opts.fallback ?? false)) {
    const skip = await gate(name, request, details, isNode);
    if (skip !== null) {
      details.attempts.push({ backend: name, ok: false, note: skip });
      continue;
    }
    const failure =
      name === 'wasm' && threads !== null && !isNode ? await withCoreCount(2 * threads, () => trySet(name)) : await trySet(name);
    if (failure !== null) {
      details.attempts.push({ backend: name, ok: false, note: failure });
      continue;
    }
    details.attempts.push({ backend: name, ok: true, note: await describeWinner(name, details, opts.wasmThreadsOff ?? null) });
    return { backend: name, reason: formatReason(request, details.attempts), details };
  }
  throw new BackendUnavailableError(request, details.attempts);
}

/** Why `name` should not even be tried here, or null to try it. Fills details.adapter for webgpu. */
async function gate(name: BackendName, request: BackendRequest, details: BackendDetails, isNode: boolean): Promise<string | null> {
  if (name === 'webgpu') {
    const probe = await probeAdapter();
    details.adapter = probe.adapter;
    return webgpuSkipReason(request, probe.adapter, probe.why);
  }
  if (name === 'webgl') {
    if (isNode) return 'no WebGL in Node';
    if (typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') return 'no OffscreenCanvas in this worker';
  }
  return null;
}

async function probeAdapter(): Promise<{ adapter: AdapterSummary | null; why: string | null }> {
  const gpu = field(field(globalThis, 'navigator'), 'gpu');
  const request = field(gpu, 'requestAdapter');
  if (typeof request !== 'function') return { adapter: null, why: 'no WebGPU here (navigator.gpu missing)' };
  try {
    const adapter: unknown = await Reflect.apply(request, gpu, [{ powerPreference: 'high-performance' }]);
    if (adapter === null || adapter === undefined) return { adapter: null, why: 'no WebGPU adapter (GPU blocklisted or disabled)' };
    return { adapter: summarizeAdapter(adapter), why: null };
  } catch (e) {
    return { adapter: null, why: `requestAdapter failed: ${String(e)}` };
  }
}

/** tfjs's threaded wasm binary pre-starts 8 workers and never uses more threads than that. */
const MAX_WASM_THREADS = 8;

/**
 * Runs `f` while `navigator.hardwareConcurrency` reads `cores`. tfjs's wasm backend caps its thread pool
 * at hardwareConcurrency / 2 (its C++ assumes two hyper-threads per core: tfjs-backend-wasm
 * src/cc/backend.cc `num_cores`), read once while the module starts, so on a 2-core laptop
 * setThreadsCount(2) still gives 1 thread. Reporting twice the wanted count during start-up lifts the cap
 * to exactly what was asked for; the real value is restored afterwards.
 */
async function withCoreCount<T>(cores: number, f: () => Promise<T>): Promise<T> {
  const nav = field(globalThis, 'navigator');
  if (typeof nav !== 'object' || nav === null) return f();
  Object.defineProperty(nav, 'hardwareConcurrency', { value: cores, configurable: true });
  try {
    return await f();
  } finally {
    Reflect.deleteProperty(nav, 'hardwareConcurrency'); // the prototype's getter shows through again
  }
}

/** How long a backend may take to initialise before it counts as failed (first WebGPU use compiles shaders). */
const INIT_TIMEOUT_MS = 30_000;

/** `p`, or 'timeout' after `ms`; the timer is cleared either way (a CLI must not wait on it to exit). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sets the backend and checks it computes; null on success, else what went wrong. */
async function trySet(name: BackendName): Promise<string | null> {
  try {
    const ok = await within(tf.setBackend(name), INIT_TIMEOUT_MS);
    if (ok === 'timeout') return `initialisation did not finish in ${INIT_TIMEOUT_MS / 1000} s`;
    if (!ok) return 'tf.setBackend resolved false (initialisation failed)';
    await tf.ready();
    if (tf.getBackend() !== name) return `tfjs reports ${tf.getBackend()} instead`;
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])));
    const d = await y.data();
    y.dispose();
    // [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]]
    if (d[0] !== 19 || d[1] !== 22 || d[2] !== 43 || d[3] !== 50)
      return `smoke test gave [${Array.from(d).join(', ')}] instead of [19, 22, 43, 50]`;
    return null;
  } catch (e) {
    return `failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

async function describeWinner(name: BackendName, details: BackendDetails, threadsOff: string | null): Promise<string> {
  if (name === 'wasm') {
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    const multithread = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
    const threads = getThreadsCount();
    details.wasm = { threads, simd, multithread };
    const note = wasmNote(threads, simd, details.crossOriginIsolated);
    return threadsOff === null ? note : `${note} (threads off: ${threadsOff})`;
  }
  if (name === 'webgpu' && details.adapter) {
    const a = details.adapter;
    return a.software
      ? `software adapter (${adapterLabel(a)}), chosen explicitly: expect it slower than wasm`
      : `${adapterLabel(a)}${a.shaderF16 ? ', shader-f16' : ''}`;
  }
  if (name === 'cpu') return 'plain JavaScript, slowest';
  return '';
}
