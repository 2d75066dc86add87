// Sandboxed user graders: JavaScript/TypeScript (a worker thread in Node, a Web Worker in the browser)
// and Python (Pyodide in its own worker). Each returns a loaded Grader or throws GraderLoadError.
import { DEFAULT_LIMITS, type GraderLimits } from '../types';
import { isNode, type CodeGraderOptions } from './env';
import { mapColumn, toJavaScript, wrap } from './compile';
import { SandboxGrader } from './host';
import { nodeSandboxFactory } from './nodeSandbox';
import { browserSandboxFactory } from './browserSandbox';

export { GraderLoadError } from './compile';
export { SandboxGrader } from './host';
export { createPythonGrader } from './python';
export { isNode, BLOCKED_GLOBALS, type CodeGraderOptions } from './env';

/** Loads a JavaScript or TypeScript grader defining `grade(sample, item)`. Throws GraderLoadError. */
export async function createJsGrader(code: string, lang: 'js' | 'ts', opts: CodeGraderOptions = {}): Promise<SandboxGrader> {
  const name = opts.name ?? 'grader';
  const limits: GraderLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const loadTimeoutMs = opts.loadTimeoutMs ?? Math.max(5000, limits.sampleTimeoutMs);
  const plain = toJavaScript(code, lang, name);
  const js = wrap(plain);
  const factory = isNode()
    ? await nodeSandboxFactory(
        js,
        name,
        loadTimeoutMs,
        opts.memoryMb === undefined
          ? undefined
          : { maxOldGenerationSizeMb: opts.memoryMb, maxYoungGenerationSizeMb: Math.min(32, Math.max(4, opts.memoryMb / 4)) },
      )
    : browserSandboxFactory(js, name);
  const map = plain === code ? undefined : (line: number, column: number) => mapColumn(code, plain, line, column);
  return SandboxGrader.loaded({ name, limits, loadTimeoutMs, factory, mapColumn: map });
}
