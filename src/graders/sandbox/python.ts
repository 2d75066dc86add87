// Python graders: `grade(sample, item)` run in Pyodide (the runtime and stdlib shipped by the `pyodide`
// npm package) inside its own worker, with the same limits and messages as JavaScript graders. A timeout
// terminates the worker; the next batch starts a fresh Pyodide. Before the grader loads, Cherry's
// rapidfuzz is put on sys.path and the Pyodide packages its imports name are loaded (pyPackages.ts).
//
// Node: a worker_threads Worker loads pyodide from node_modules. Browser: a module Web Worker (Pyodide
// refuses classic workers) imports /pyodide/pyodide.mjs from our own origin (vite.config.ts copies the runtime into dist/pyodide/).
// After Pyodide has started, both hosts remove the network globals and block JavaScript code
// evaluation (eval, Function), so Python code that reaches the JavaScript bridge finds nothing to use.
import { DEFAULT_LIMITS, type GraderLimits } from '../types';
import { SandboxGrader } from './host';
import type { SandboxEvents, SandboxFactory, SandboxPort } from './protocol';
import { parseSandboxMessage } from './protocol';
import { PYTHON_RUNTIME } from './pythonRuntime';
import { BLOCKED_GLOBALS, isNode, type CodeGraderOptions } from './env';
import { RAPIDFUZZ_FILES } from './pyRapidfuzz';
import pyodidePackage from 'pyodide/package.json';
import { NOT_IN_PYODIDE, packageLoadMessage, pyodideCdnUrl, pythonPackageSource } from './pyPackages';

// Last on sys.meta_path: a module no other finder found. For OpenAI's grader-image packages that Pyodide
// lacks, say so and what to do instead of a bare ModuleNotFoundError.
const MISSING_FINDER = `
class _CherryMissing:
    _why = ${JSON.stringify(NOT_IN_PYODIDE)}
    def find_spec(self, name, path=None, target=None):
        top = name.split('.')[0]
        if top in self._why:
            raise ModuleNotFoundError("module '" + top + "' is in OpenAI's grader image, but Pyodide has no build of it, so Cherry cannot load it (docs/python-packages.md). Instead: " + self._why[top], name=top)
        return None

_sys.meta_path.append(_CherryMissing())
`;

// JavaScript run in the worker after Pyodide started: removes network/page globals, blocks eval.
const HARDEN = `
  for (const n of ${JSON.stringify(BLOCKED_GLOBALS)}) {
    for (let o = globalThis; o !== null; o = Object.getPrototypeOf(o)) {
      const d = Object.getOwnPropertyDescriptor(o, n);
      if (d && d.configurable) { try { delete o[n]; } catch (e) {} }
    }
  }
  // Node: Python could otherwise reach process.binding() through the js module.
  for (const n of ['process', 'require', 'module', 'Buffer', 'WebAssembly']) { try { delete globalThis[n]; } catch (e) {} }
  const blocked = (what) => function () { throw new Error(what + ' is not available inside a grader'); };
  for (const C of [Function, (async function () {}).constructor, (function* () {}).constructor, (async function* () {}).constructor]) {
    Object.defineProperty(C.prototype, 'constructor', { value: blocked('Function()'), writable: false, configurable: false });
  }
  // Keep Function.prototype reachable as Function.prototype (Pyodide calls Function.prototype.apply).
  const FakeFunction = blocked('Function()');
  Object.defineProperty(FakeFunction, 'prototype', { value: Function.prototype, writable: false });
  Object.defineProperty(globalThis, 'Function', { value: FakeFunction, writable: false, configurable: false });
  Object.defineProperty(globalThis, 'eval', { value: blocked('eval()'), writable: false, configurable: false });
`;

// Shared body once `loadPyodide` is in scope: start, harden, load the user's source, listen.
function body(post: string, listen: string): string {
  return `
  let py;
  const fail = (message) => ${post}(JSON.stringify({ kind: 'load-error', line: null, column: null, message }));
  try {
    py = await loadPyodide({ indexURL: D.indexURL, stdout: () => {}, stderr: () => {}, ...D.packages });
  } catch (e) {
    fail("grader '" + D.name + "': Pyodide failed to start: " + (e && e.message));
    return;
  }
  // Cherry's own modules (rapidfuzz), then the packages the grader imports, while the network is still open.
  for (const [path, text] of Object.entries(D.modules)) {
    py.FS.mkdirTree('/cherry-site/' + path.slice(0, path.lastIndexOf('/')));
    py.FS.writeFile('/cherry-site/' + path, text);
  }
  py.runPython("import sys; sys.path.insert(0, '/cherry-site')");
  const pkgErrors = [];
  try {
    await py.loadPackagesFromImports(D.source, { messageCallback: () => {}, errorCallback: (m) => pkgErrors.push(String(m)) });
  } catch (e) { pkgErrors.push(String((e && e.message) || e)); }
  if (pkgErrors.length) {
    const missing = py.runPython("import importlib.util as _u\\nfrom pyodide.code import find_imports as _f\\n[n for n in _f(" + JSON.stringify(D.source) + ") if _u.find_spec(n) is None]").toJs();
    if (missing.length) { fail(D.missingMessage.split('%MODULES%').join(missing.join(', ')).replace('%DETAIL%', pkgErrors.join(' ').replace(/\\s+/g, ' ').slice(0, 300))); return; }
  }
  py.runPython(D.runtime);
  py.globals.set('__cherry_post', (s) => ${post}(String(s)));
  const load = py.globals.get('__cherry_load');
  const handle = py.globals.get('__cherry_handle');
  ${HARDEN}
  load(D.name, D.source);
  ${listen}((s) => { if (typeof s === 'string') { try { handle(s); } catch (e) { /* reported per sample */ } } });
`;
}

const NODE_MAIN = `'use strict';
const { parentPort, workerData: D } = require('node:worker_threads');
const send = (s) => { try { parentPort.postMessage(s); } catch (e) {} };
const on = (f) => parentPort.on('message', f);
(async () => {
  const { loadPyodide } = await import(D.pyodideUrl);
  ${body('send', 'on')}
})();
`;

function browserMain(): string {
  return `'use strict';
var send = self.postMessage.bind(self), addL = self.addEventListener.bind(self);
var D = JSON.parse(decodeURIComponent(self.location.hash.slice(1)));
(async () => {
  const { loadPyodide } = await import(D.indexURL + 'pyodide.mjs');
  ${body('send', '((f) => addL("message", (e) => f(e.data)))')}
})();
`;
}

/** The package options of loadPyodide and the message for a package that fails to load. */
function packageOptions(
  name: string,
  packages: Record<string, string>,
  where: string,
): { packages: Record<string, string>; modules: Record<string, string>; missingMessage: string } {
  return { packages, modules: RAPIDFUZZ_FILES, missingMessage: packageLoadMessage(name, ['%MODULES%'], where, '%DETAIL%') };
}

/** Worker factory for Node: loads pyodide from node_modules. */
async function nodeFactory(source: string, name: string): Promise<SandboxFactory> {
  const wtSpec = 'node:worker_threads';
  const modSpec = 'node:module';
  const osSpec = 'node:os';
  const wt: typeof import('node:worker_threads') = await import(/* @vite-ignore */ wtSpec);
  const mod: typeof import('node:module') = await import(/* @vite-ignore */ modSpec);
  const os: typeof import('node:os') = await import(/* @vite-ignore */ osSpec);
  const req = mod.createRequire(import.meta.url);
  const pyodideJs = req.resolve('pyodide');
  const indexURL = pyodideJs.slice(0, pyodideJs.lastIndexOf('/') + 1);
  const pyodideUrl = `file://${indexURL}pyodide.mjs`;
  const version = pyodidePackage.version;
  const env = process.env.CHERRY_PYODIDE_PACKAGES; // the CLI's setting (a folder or URL holding the wheels)
  const src = { ...(env ? { packageBaseUrl: env } : {}), ...pythonPackageSource() };
  const packages: Record<string, string> = {
    packageCacheDir: src.cacheDir ?? `${os.homedir()}/.cache/cherry/pyodide-${version}/`,
    ...(src.packageBaseUrl ? { packageBaseUrl: src.packageBaseUrl } : {}),
    ...(src.lockFileURL ? { lockFileURL: src.lockFileURL } : {}),
  };
  const where = src.packageBaseUrl ?? `${pyodideCdnUrl(version)} (cached in ${packages.packageCacheDir})`;
  const workerData = {
    pyodideUrl,
    indexURL,
    runtime: PYTHON_RUNTIME + MISSING_FINDER,
    source,
    name,
    ...packageOptions(name, packages, where),
  };
  return (events: SandboxEvents): SandboxPort => {
    const w = new wt.Worker(NODE_MAIN, { eval: true, workerData, env: {}, stdout: true, stderr: true });
    w.unref();
    let ended = false;
    w.on('message', (s: unknown) => {
      const m = parseSandboxMessage(s);
      if (m) events.message(m);
    });
    const fail = (message: string): void => {
      if (!ended) {
        ended = true;
        events.failure({ kind: 'crash', message });
      }
    };
    w.on('error', (e: Error) => fail(`the Python worker crashed: ${e.message}`));
    w.on('exit', (code: number) => fail(`the Python worker exited (code ${code})`));
    return {
      post: (m) => {
        if (!ended) w.postMessage(m);
      },
      terminate: () => {
        ended = true;
        void w.terminate();
      },
    };
  };
}

/** Where the browser finds the Pyodide runtime (served from our own origin). */
export function pyodideBaseUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}pyodide/`, self.location.origin).href;
}

/**
 * The browser's default package source: the app's own /pyodide/ folder when scripts/pyodidePackages.ts
 * filled it (it writes cherry-packages.json there), else Pyodide's CDN for the installed version.
 */
let defaultBrowserBase: Promise<string> | null = null;
function browserPackageBase(): Promise<string> {
  const cdn = pyodideCdnUrl(pyodidePackage.version);
  // A JSON list, not just a 200: a server with a single-page fallback answers every path with index.html.
  defaultBrowserBase ??= fetch(`${pyodideBaseUrl()}cherry-packages.json`)
    .then(async (r) => (r.ok && Array.isArray(await r.json()) ? pyodideBaseUrl() : cdn))
    .catch(() => cdn);
  return defaultBrowserBase;
}

async function browserFactory(source: string, name: string): Promise<SandboxFactory> {
  const src = pythonPackageSource();
  const base = src.packageBaseUrl ?? (await browserPackageBase());
  const packages: Record<string, string> = { packageBaseUrl: base, ...(src.lockFileURL ? { lockFileURL: src.lockFileURL } : {}) };
  const data = {
    indexURL: pyodideBaseUrl(),
    runtime: PYTHON_RUNTIME + MISSING_FINDER,
    source,
    name,
    ...packageOptions(name, packages, base),
  };
  let url: string | null = null;
  return (events: SandboxEvents): SandboxPort => {
    url ??= URL.createObjectURL(new Blob([browserMain()], { type: 'text/javascript' }));
    const w = new Worker(`${url}#${encodeURIComponent(JSON.stringify(data))}`, { type: 'module' });
    let ended = false;
    w.onmessage = (e: MessageEvent) => {
      const m = parseSandboxMessage(e.data);
      if (m) events.message(m);
    };
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      if (!ended) {
        ended = true;
        events.failure({ kind: 'crash', message: `the Python worker failed: ${e.message}` });
      }
    };
    return {
      post: (m) => {
        if (!ended) w.postMessage(m);
      },
      terminate: () => {
        ended = true;
        w.terminate();
      },
    };
  };
}

/** Loads a Python grader defining `grade(sample, item)`. Throws GraderLoadError. */
export async function createPythonGrader(source: string, opts: CodeGraderOptions = {}): Promise<SandboxGrader> {
  const name = opts.name ?? 'grader';
  const limits: GraderLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const factory = isNode() ? await nodeFactory(source, name) : await browserFactory(source, name);
  // Starting Pyodide takes seconds (longer on a busy machine); user top-level code shares this budget.
  return SandboxGrader.loaded({ name, limits, loadTimeoutMs: opts.loadTimeoutMs ?? 60_000, factory });
}
