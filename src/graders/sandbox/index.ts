// Sandboxed user graders: JavaScript/TypeScript (a worker thread in Node, a Web Worker in the browser)
// and Python (Pyodide in its own worker). Each returns a loaded Grader or throws GraderLoadError.
import { DEFAULT_LIMITS, type GraderLimits } from '../types';
import { toJavaScript, wrap } from './compile';
import { SandboxGrader } from './host';
import { nodeSandboxFactory } from './nodeSandbox';
import { browserSandboxFactory } from './browserSandbox';

export { GraderLoadError } from './compile';
export { SandboxGrader } from './host';
export { createPythonGrader } from './python';

/** Options for one sandboxed grader. */
export interface CodeGraderOptions {
  /** Display name used in every message (default 'grader'). */
  name?: string;
  /** Time limits; missing fields take DEFAULT_LIMITS. */
  limits?: Partial<GraderLimits>;
  /** Time allowed for loading (top-level code), ms (default: max(2000, sample limit)). */
  loadTimeoutMs?: number;
  /** Node only: heap cap of the worker, MB (default 256). In the browser a worker has no memory cap. */
  memoryMb?: number;
}

/** True when running under Node (CLI, tests); false in a browser page or Web Worker. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions === 'object' && typeof process.versions.node === 'string';
}

/** Loads a JavaScript or TypeScript grader defining `grade(sample, item)`. Throws GraderLoadError. */
export async function createJsGrader(code: string, lang: 'js' | 'ts', opts: CodeGraderOptions = {}): Promise<SandboxGrader> {
  const name = opts.name ?? 'grader';
  const limits: GraderLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const loadTimeoutMs = opts.loadTimeoutMs ?? Math.max(2000, limits.sampleTimeoutMs);
  const js = wrap(toJavaScript(code, lang, name));
  const factory = isNode() ? await nodeSandboxFactory(js, name, loadTimeoutMs, opts.memoryMb === undefined ? undefined : { maxOldGenerationSizeMb: opts.memoryMb, maxYoungGenerationSizeMb: Math.min(32, Math.max(4, opts.memoryMb / 4)) }) : browserSandboxFactory(js, name);
  const grader = new SandboxGrader({ name, limits, loadTimeoutMs, factory });
  try {
    await grader.load();
  } catch (e) {
    grader.dispose();
    throw e;
  }
  return grader;
}
