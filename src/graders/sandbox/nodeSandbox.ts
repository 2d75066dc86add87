// Node host for JavaScript/TypeScript graders: a worker_threads Worker (memory-capped with
// resourceLimits, empty environment) that runs the user's code inside a `vm` context with no `require`,
// no `process`, no network and no code generation from strings. Only strings cross between the context
// and the worker; see runtime.ts for why.
import type { SandboxFactory, SandboxPort } from './protocol';
import { parseSandboxMessage } from './protocol';
import { RUNTIME_SOURCE, type RuntimeConfig } from './runtime';
import { WRAP_PREFIX } from './compile';
import { BLOCKED_GLOBALS } from './env';

/** Worker memory caps; an allocation bomb kills only the worker (reported as out of memory). */
export interface NodeSandboxLimits {
  /** V8 old-generation heap cap for the worker, MB. */
  maxOldGenerationSizeMb: number;
  /** V8 young-generation cap, MB. */
  maxYoungGenerationSizeMb: number;
}

export const DEFAULT_NODE_LIMITS: NodeSandboxLimits = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

const FILE_TAG = 'cherry-grader.js';

// Runs in the worker's own realm (CommonJS, eval). Strict mode keeps its frames out of reach of
// Error.prepareStackTrace tricks inside the context.
const WORKER_MAIN = String.raw`'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');
const { performance } = require('node:perf_hooks');
const post = (s) => { try { if (typeof s === 'string') parentPort.postMessage(s); } catch (e) { /* drop */ } };
const ctx = vm.createContext(Object.create(null), { name: 'cherry-grader', codeGeneration: { strings: false, wasm: false } });
let nextId = 1;
const timers = new Map();
const setTimer = (ms, cb) => {
  const id = nextId++;
  const delay = typeof ms === 'number' && ms >= 0 ? ms : 0;
  timers.set(id, setTimeout(() => { timers.delete(id); try { cb(); } catch (e) { /* user error in a timer */ } }, delay));
  return id;
};
const clearTimer = (id) => { const t = timers.get(id); if (t !== undefined) { clearTimeout(t); timers.delete(id); } };
const now = () => performance.now();
const rt = vm.runInContext('(' + workerData.runtime + ')', ctx)(post, setTimer, clearTimer, now, workerData.config);
vm.runInContext(workerData.globals, ctx)(setTimer, clearTimer);
let thunk;
try {
  thunk = new vm.Script(workerData.code, { filename: workerData.file }).runInContext(ctx, { timeout: workerData.loadTimeoutMs });
} catch (e) {
  const stack = String(e && e.stack);
  const head = /^[^\n]*:(\d+)\n([^\n]*)\n( *)\^/.exec(stack);
  let line = head ? +head[1] : null, column = head ? head[3].length + 1 : null;
  if (line === 1 && column !== null) column -= workerData.colOffset;
  const msg = (e && e.name ? e.name + ': ' : '') + (e && e.message ? e.message : String(e));
  post(JSON.stringify({ kind: 'load-error', line, column,
    message: "grader '" + workerData.name + "': " + (e && e.name === 'SyntaxError' ? 'syntax error' : 'error') +
      (line !== null ? ' at line ' + line + ', column ' + column : '') + ': ' + msg }));
  thunk = null;
}
if (thunk !== null) {
  rt.register(thunk);
  parentPort.on('message', (s) => { if (typeof s === 'string') rt.handle(s); });
}
`;

// Evaluated in the context: safe timers for user code (functions only, never strings), a silent console,
// and stubs that say why the browser's network and page APIs are missing.
const CONTEXT_GLOBALS = String.raw`(function (setTimer, clearTimer) {
  'use strict';
  var g = globalThis;
  var names = ${JSON.stringify(BLOCKED_GLOBALS)};
  names.forEach(function (n) {
    Object.defineProperty(g, n, { configurable: false, enumerable: false, get: function () {
      throw new Error(n + ' is not available inside a grader: graders cannot use the network, load code or reach the page');
    } });
  });
  g.setTimeout = function (fn, ms) {
    if (typeof fn !== 'function') throw new TypeError('setTimeout needs a function inside a grader (strings are not evaluated)');
    var args = Array.prototype.slice.call(arguments, 2);
    return setTimer(+ms || 0, function () { fn.apply(undefined, args); });
  };
  g.clearTimeout = function (id) { clearTimer(+id); };
  g.console = { log: function () {}, info: function () {}, warn: function () {}, error: function () {}, debug: function () {} };
})`;

/** A factory of Node sandbox workers for one grader (already-compiled JavaScript). */
export async function nodeSandboxFactory(
  js: string,
  name: string,
  loadTimeoutMs: number,
  mem: NodeSandboxLimits = DEFAULT_NODE_LIMITS,
): Promise<SandboxFactory> {
  const spec = 'node:worker_threads';
  const wt: typeof import('node:worker_threads') = await import(/* @vite-ignore */ spec);
  const config: RuntimeConfig = { name, lineOffset: 0, colOffset: WRAP_PREFIX.length, maxDetailsChars: 65_536, fileTag: FILE_TAG };
  const workerData = {
    runtime: RUNTIME_SOURCE,
    globals: CONTEXT_GLOBALS,
    config: JSON.stringify(config),
    code: js,
    file: FILE_TAG,
    name,
    colOffset: WRAP_PREFIX.length,
    loadTimeoutMs,
  };
  return (events): SandboxPort => {
    const w = new wt.Worker(WORKER_MAIN, {
      eval: true,
      workerData,
      env: {},
      stdout: true,
      stderr: true,
      resourceLimits: {
        maxOldGenerationSizeMb: mem.maxOldGenerationSizeMb,
        maxYoungGenerationSizeMb: mem.maxYoungGenerationSizeMb,
        stackSizeMb: 4,
      },
    });
    w.unref();
    let ended = false;
    w.on('message', (s: unknown) => {
      const m = parseSandboxMessage(s);
      if (m) events.message(m);
    });
    w.on('error', (e: Error) => {
      if (ended) return;
      ended = true;
      const code = 'code' in e ? e.code : undefined;
      if (code === 'ERR_WORKER_OUT_OF_MEMORY') events.failure({ kind: 'oom', message: 'the grader ran out of memory' });
      else events.failure({ kind: 'crash', message: `the grader worker crashed: ${e.message}` });
    });
    w.on('exit', (code: number) => {
      if (ended) return;
      ended = true;
      events.failure({ kind: 'crash', message: `the grader worker exited (code ${code})` });
    });
    return {
      post: (msg) => {
        if (!ended) w.postMessage(msg);
      },
      terminate: () => {
        ended = true;
        void w.terminate();
      },
    };
  };
}
