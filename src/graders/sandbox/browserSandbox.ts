// Browser host for JavaScript/TypeScript graders: a classic Web Worker started from a Blob that holds a
// prelude (captures postMessage, removes network and page access, blocks code generation from strings),
// the shared runtime, and then the user's code. Syntax errors surface as the worker's `error` event with
// the line and column of the Blob, which we map back to the user's source.
//
// Remaining risk, stated plainly: browsers give a Worker no memory cap. An allocation bomb is stopped
// only by the time limit (the worker is terminated when results stop coming); one that allocates
// gigabytes faster than that can still exhaust the tab's memory.
import type { SandboxFactory, SandboxPort } from './protocol';
import { parseSandboxMessage } from './protocol';
import { RUNTIME_SOURCE, type RuntimeConfig } from './runtime';
import { WRAP_PREFIX } from './compile';
import { BLOCKED_GLOBALS } from './env';

// Runs first in the worker. Written with explicit semicolons; RUNTIME is spliced in as an expression.
function prelude(config: RuntimeConfig): string {
  return `(function () {
  'use strict';
  var g = self, post = g.postMessage.bind(g), listen = g.addEventListener.bind(g);
  var st = g.setTimeout.bind(g), ct = g.clearTimeout.bind(g), si = g.setInterval.bind(g), perf = g.performance;
  var defineProp = Object.defineProperty, getProto = Object.getPrototypeOf, ownDesc = Object.getOwnPropertyDescriptor;
  var rt = (${RUNTIME_SOURCE})(function (s) { post(s); }, function (ms, cb) { return st(cb, ms); }, function (id) { ct(id); },
    function () { return perf.now(); }, ${JSON.stringify(JSON.stringify(config))});
  listen('message', function (e) { if (typeof e.data === 'string') rt.handle(e.data); });
  function blocked(what) {
    return function () { throw new Error(what + ' is not available inside a grader: graders cannot use the network, load code or reach the page'); };
  }
  var names = ${JSON.stringify(BLOCKED_GLOBALS)};
  for (var i = 0; i < names.length; i++) {
    var n = names[i];
    for (var o = g; o !== null; o = getProto(o)) {
      var d = ownDesc(o, n);
      if (d && d.configurable) { try { delete o[n]; } catch (e) { /* keep going */ } }
    }
    try { defineProp(g, n, { get: blocked(n), configurable: false, enumerable: false }); } catch (e) { /* keep going */ }
  }
  function onlyFunctions(real, what) {
    return function (fn, ms) {
      if (typeof fn !== 'function') throw new TypeError(what + ' needs a function inside a grader (strings are not evaluated)');
      var args = Array.prototype.slice.call(arguments, 2);
      return real(function () { fn.apply(undefined, args); }, ms);
    };
  }
  g.setTimeout = onlyFunctions(st, 'setTimeout');
  g.setInterval = onlyFunctions(si, 'setInterval');
  var ctors = [Function, (async function () {}).constructor, (function* () {}).constructor, (async function* () {}).constructor];
  for (var j = 0; j < ctors.length; j++) {
    defineProp(ctors[j].prototype, 'constructor', { value: blocked('Function()'), writable: false, configurable: false });
  }
  defineProp(g, 'Function', { value: blocked('Function()'), writable: false, configurable: false });
  defineProp(g, 'eval', { value: blocked('eval()'), writable: false, configurable: false });
  defineProp(g, '__cherry_register', { configurable: true, value: function (thunk) { delete g.__cherry_register; rt.register(thunk); } });
})();
`;
}

/** A factory of browser sandbox workers for one grader (already-wrapped JavaScript). */
export function browserSandboxFactory(js: string, name: string): SandboxFactory {
  const base: RuntimeConfig = {
    name,
    lineOffset: 0,
    colOffset: WRAP_PREFIX.length + '__cherry_register('.length,
    maxDetailsChars: 65_536,
    fileTag: '',
  };
  // The prelude's line count does not depend on the config values (they are JSON on one line).
  const lineOffset = prelude(base).split('\n').length - 1;
  let url: string | null = null;
  const blobUrl = (): string => {
    if (url !== null) return url;
    // fileTag '' tells the runtime to use its own location (the Blob URL, known only after creation).
    const text = prelude({ ...base, lineOffset }) + '__cherry_register(' + js + ');\n';
    url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    return url;
  };
  return (events): SandboxPort => {
    const w = new Worker(blobUrl());
    let ended = false;
    let ready = false;
    w.onmessage = (e: MessageEvent) => {
      const m = parseSandboxMessage(e.data);
      if (!m) return;
      if (m.kind === 'ready' || m.kind === 'load-error') ready = true;
      events.message(m);
    };
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      if (ended || ready) return; // after loading, uncaught errors (e.g. in a user timer) do not affect results
      ended = true;
      const line = e.lineno ? e.lineno - lineOffset : null;
      const column = e.colno ? (line === 1 ? e.colno - base.colOffset : e.colno) : null;
      const where = line !== null && line >= 1 ? ` at line ${line}, column ${column}` : '';
      events.failure({ kind: 'syntax', message: `grader '${name}': syntax error${where}: ${e.message}`, line, column });
    };
    return {
      post: (msg) => {
        if (!ended) w.postMessage(msg);
      },
      terminate: () => {
        ended = true;
        w.terminate();
      },
    };
  };
}
