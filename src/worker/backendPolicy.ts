// Which tfjs backend to try, in which order, and how to explain the choice. Pure: no tfjs, no DOM,
// so the decision is unit-tested in Node with adapter descriptions a real browser would report.
// The tfjs side (actually setting a backend and checking it works) lives in backend.ts.

/** The tfjs backends Cherry knows, fastest-first for a machine with a real GPU. */
export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';
/** What a user or test asks for: a specific backend or `auto` (fastest that really works here). */
export type BackendRequest = 'auto' | BackendName;

/** The order `auto` tries: real-GPU WebGPU, then wasm (SIMD/threads), then WebGL, then plain JS. */
export const AUTO_ORDER: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

/** Parses a `?backend=` value or a CLI flag; null when it is not a known name. */
export function parseBackendRequest(s: string | null | undefined): BackendRequest | null {
  switch (s) {
    case 'auto':
    case 'webgpu':
    case 'wasm':
    case 'webgl':
    case 'cpu':
      return s;
    default:
      return null;
  }
}

/** A WebGPU adapter as the browser describes it (GPUAdapter + GPUAdapterInfo, flattened). */
export interface AdapterSummary {
  /** GPU vendor, e.g. "nvidia", "google" (SwiftShader); may be empty when the browser hides it. */
  vendor: string;
  /** Architecture, e.g. "ampere", "swiftshader". */
  architecture: string;
  /** Device id or name, often empty. */
  device: string;
  /** Human-readable description, often empty. */
  description: string;
  /** The browser's own flag for a software/fallback adapter (`isFallbackAdapter`). */
  isFallback: boolean;
  /** True when this adapter is a CPU rasterizer (fallback flag or a known software renderer name). */
  software: boolean;
  /** Whether the adapter supports `shader-f16`. */
  shaderF16: boolean;
}

const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

/** Reads the adapter fields we care about from an untyped GPUAdapter (its TS types are not loaded). */
export function summarizeAdapter(adapter: unknown): AdapterSummary {
  const info = field(adapter, 'info');
  const text = (o: unknown, k: string): string => {
    const v = field(o, k);
    return typeof v === 'string' ? v : '';
  };
  const vendor = text(info, 'vendor');
  const architecture = text(info, 'architecture');
  const device = text(info, 'device');
  const description = text(info, 'description');
  // `isFallbackAdapter` moved from GPUAdapter to GPUAdapterInfo in 2024; read both.
  const isFallback = field(adapter, 'isFallbackAdapter') === true || field(info, 'isFallbackAdapter') === true;
  const named = SOFTWARE_NAMES.test(`${vendor} ${architecture} ${device} ${description}`);
  const features = field(adapter, 'features');
  const has = field(features, 'has'); // GPUSupportedFeatures is set-like, not a Set
  const shaderF16 = typeof has === 'function' && Reflect.apply(has, features, ['shader-f16']) === true;
  return { vendor, architecture, device, description, isFallback, software: isFallback || named, shaderF16 };
}

/** `o[key]` for an untyped browser object; undefined when `o` is not an object. */
export function field(o: unknown, key: string): unknown {
  if ((typeof o !== 'object' && typeof o !== 'function') || o === null) return undefined;
  return Reflect.get(o, key);
}

/** A short name for an adapter, e.g. "SwiftShader" or "nvidia ampere". */
export function adapterLabel(a: AdapterSummary): string {
  if (/swiftshader/i.test(`${a.vendor} ${a.architecture} ${a.description}`)) return 'SwiftShader';
  const label = [a.vendor, a.architecture].filter((s) => s !== '').join(' ') || a.description;
  return label === '' ? 'unnamed adapter' : label;
}

/**
 * The backends to try, in order. `auto` walks AUTO_ORDER. An explicit choice is tried alone unless
 * `fallback` is set, in which case the rest of AUTO_ORDER follows it (the page uses this so it keeps
 * working, and says so in the reason; the CLI wants a hard failure instead).
 */
export function candidates(request: BackendRequest, fallback: boolean): BackendName[] {
  if (request === 'auto') return [...AUTO_ORDER];
  return fallback ? [request, ...AUTO_ORDER.filter((b) => b !== request)] : [request];
}

/**
 * Whether WebGPU may be tried with this adapter. In `auto` a software adapter is skipped (it runs
 * matmul ~50x slower than wasm on the machines we measured); an explicit `webgpu` request takes it.
 * Returns null when it may be tried, else why not.
 */
export function webgpuSkipReason(request: BackendRequest, adapter: AdapterSummary | null, why: string | null): string | null {
  if (adapter === null) return why ?? 'no WebGPU adapter';
  if (adapter.software && request !== 'webgpu') {
    return `software adapter (${adapterLabel(adapter)}), slower than wasm here`;
  }
  return null;
}

/** One backend tried (or skipped) while choosing. */
export interface Attempt {
  /** The backend. */
  backend: BackendName;
  /** True for the backend that was set and passed the smoke test. */
  ok: boolean;
  /** What happened: why it was skipped or failed, or a short description when it won. */
  note: string;
}

/** The one-line reason shown on the badge: every attempt in order, e.g. "webgpu: …; wasm: ok, …". */
export function formatReason(requested: BackendRequest, attempts: Attempt[]): string {
  const parts = attempts.map((a) => `${a.backend}: ${a.ok ? 'ok' : 'skipped'}${a.note === '' ? '' : `, ${a.note}`}`);
  const prefix = requested === 'auto' ? 'auto' : `requested ${requested}`;
  return `${prefix} — ${parts.join('; ')}`;
}

/** Describes the wasm configuration that won, e.g. "2 threads SIMD" or "1 thread, no SIMD". */
export function wasmNote(threads: number, simd: boolean, isolated: boolean | null): string {
  const t = `${threads} thread${threads === 1 ? '' : 's'}`;
  const iso = isolated === false ? ' (page not cross-origin isolated: no threads)' : '';
  return `${t} ${simd ? 'SIMD' : 'no SIMD'}${iso}`;
}
