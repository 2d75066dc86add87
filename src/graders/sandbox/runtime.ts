// The grader runtime: the code that runs NEXT TO user code, inside the sandbox (a Node `vm` context in a
// worker thread, or a browser Web Worker). It is one JavaScript source string shared by both hosts, because
// it must be evaluated inside the sandbox's own realm: in Node a function created in the outer realm would
// hand user code a path back to `process` (`fn.constructor.constructor('return process')()`).
//
// The runtime is a factory `(notify, setTimer, clearTimer, now, configJson) => { register, handle }`:
//   - `notify(string)` sends one JSON message to the host. Only strings cross the boundary.
//   - `register(thunk)` calls the wrapped user code (which returns its `grade` function) and reports
//     {kind:'ready'} or {kind:'load-error', message, line, column}.
//   - `handle(string)` takes {kind:'grade', id, start, sampleTimeoutMs, requests} and streams one
//     {kind:'result', id, index, reward, details, error, error_kind, ms} per sample, in order.
// Sync and async grade functions are both supported; an async one that does not settle within the limit
// gets a timeout result and the runtime moves on. A sync infinite loop cannot be stopped from in here:
// the host notices that results stopped coming and terminates the worker.
//
// Written as plain ES5-style JavaScript with explicit semicolons; it captures every builtin it uses before
// user code runs, so a grader that overwrites JSON or String cannot confuse the runtime.

export const RUNTIME_SOURCE = String.raw`function (notify, setTimer, clearTimer, now, configJson) {
  'use strict';
  var stringify = JSON.stringify, parse = JSON.parse, isFiniteNum = Number.isFinite, keysOf = Object.keys;
  var isArray = Array.isArray, Str = String, RegExpC = RegExp, hasOwn = Object.prototype.hasOwnProperty;
  var config = parse(configJson);
  var NAME = config.name, LINE_OFFSET = config.lineOffset, COL_OFFSET = config.colOffset;
  var MAX_DETAILS = config.maxDetailsChars;
  var FILE = config.fileTag || (typeof location !== 'undefined' ? Str(location.href) : '');
  var gradeFn = null, current = null;

  function send(o) { notify(stringify(o)); }
  function clip(s, n) { s = Str(s); return s.length > n ? s.slice(0, n) + '…' : s; }

  // The first stack frame inside the user's code, as {line, column} in the user's source.
  function userPos(err) {
    var stack;
    try { stack = Str(err && err.stack); } catch (e) { return null; }
    var re = new RegExpC(FILE.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&') + ':(\\d+):(\\d+)', 'g');
    var m;
    while ((m = re.exec(stack)) !== null) {
      var line = +m[1] - LINE_OFFSET, col = +m[2];
      if (line < 1) continue;
      if (line === 1) { col -= COL_OFFSET; if (col < 1) continue; }
      return { line: line, column: col };
    }
    return null;
  }
  function errText(e) {
    try {
      if (e && typeof e === 'object' && typeof e.message === 'string') return (typeof e.name === 'string' ? e.name + ': ' : '') + clip(e.message, 500);
      return 'a thrown value ' + describe(e);
    } catch (x) { return 'an error that cannot be described'; }
  }
  function describe(v) {
    try {
      if (v === undefined) return 'undefined (does grade return a value on every path?)';
      if (v === null) return 'null';
      if (typeof v === 'number') return Str(v);
      if (typeof v === 'string') return 'the string ' + stringify(clip(v, 40));
      if (typeof v === 'boolean') return 'the boolean ' + v + ' (return 1 or 0 instead)';
      if (typeof v === 'function') return 'a function';
      if (isArray(v)) return 'an array of length ' + v.length;
      if (typeof v === 'object') {
        var ks = keysOf(v);
        return 'an object with ' + ks.length + ' key(s) {' + ks.slice(0, 5).join(', ') + (ks.length > 5 ? ', …' : '') + '}';
      }
      return 'a value of type ' + typeof v;
    } catch (e) { return 'a value that cannot be inspected'; }
  }
  function fail(idx, kind, message, ms) {
    return { kind: 'result', id: current.id, index: idx, reward: null, details: null, error: message, error_kind: kind, ms: ms };
  }
  function thrown(idx, e, ms) {
    var p = userPos(e);
    var where = p ? ' at line ' + p.line + ', column ' + p.column : '';
    return fail(idx, 'error', "grader '" + NAME + "' threw on sample " + idx + where + ': ' + errText(e), ms);
  }
  function normalize(idx, v, ms) {
    var bad = "grader '" + NAME + "' returned ";
    if (typeof v === 'number') {
      if (isFiniteNum(v)) return { kind: 'result', id: current.id, index: idx, reward: v, details: null, error: null, error_kind: null, ms: ms };
      return fail(idx, 'error', bad + describe(v) + ' on sample ' + idx + '; a reward must be a finite number', ms);
    }
    var score, details = null;
    try {
      if (v === null || typeof v !== 'object' || isArray(v) || !hasOwn.call(v, 'score')) {
        return fail(idx, 'error', bad + describe(v) + ' on sample ' + idx + '; return a finite number or {score: number, details?}', ms);
      }
      score = v.score;
      if (typeof score !== 'number' || !isFiniteNum(score)) {
        return fail(idx, 'error', bad + '{score: ' + describe(score) + '} on sample ' + idx + '; score must be a finite number', ms);
      }
      if (hasOwn.call(v, 'details') && v.details !== undefined) {
        var s = stringify(v.details);
        if (typeof s === 'string') {
          details = s.length > MAX_DETAILS
            ? { truncated: true, note: 'details were ' + s.length + ' characters of JSON; the limit is ' + MAX_DETAILS }
            : parse(s);
        }
      }
    } catch (e) {
      return fail(idx, 'error', bad + 'details that cannot be turned into JSON on sample ' + idx + ': ' + errText(e), ms);
    }
    return { kind: 'result', id: current.id, index: idx, reward: score, details: details, error: null, error_kind: null, ms: ms };
  }
  function finish(c, r) {
    if (r.error === null && r.ms > c.timeout) {
      r = fail(r.index, 'timeout', "grader '" + NAME + "' took " + Math.round(r.ms) + ' ms on sample ' + r.index + '; the per-sample limit is ' + c.timeout + ' ms', r.ms);
    }
    send(r);
    c.i++;
  }
  function loop(c) {
    while (c === current && c.i < c.reqs.length) {
      var idx = c.start + c.i, req = c.reqs[c.i], t0 = now(), v, then;
      try {
        v = gradeFn(req.sample, req.item);
        then = (v !== null && (typeof v === 'object' || typeof v === 'function')) ? v.then : undefined;
      } catch (e) { finish(c, thrown(idx, e, now() - t0)); continue; }
      if (typeof then !== 'function') { finish(c, normalize(idx, v, now() - t0)); continue; }
      waitFor(c, idx, t0, v, then);
      return;
    }
  }
  function waitFor(c, idx, t0, v, then) {
    var settled = false;
    var timer = setTimer(c.timeout, function () {
      if (settled || c !== current) return;
      settled = true;
      finish(c, fail(idx, 'timeout', "grader '" + NAME + "' did not settle its promise on sample " + idx + ' within the per-sample limit of ' + c.timeout + ' ms', now() - t0));
      loop(c);
    });
    function settle(r) {
      if (settled || c !== current) return;
      settled = true;
      clearTimer(timer);
      finish(c, r);
      loop(c);
    }
    try {
      then.call(v, function (x) { settle(normalize(idx, x, now() - t0)); }, function (e) { settle(thrown(idx, e, now() - t0)); });
    } catch (e) { settle(thrown(idx, e, now() - t0)); }
  }

  return {
    register: function (thunk) {
      var fn;
      try { fn = thunk(); } catch (e) {
        var p = userPos(e);
        send({ kind: 'load-error', message: "grader '" + NAME + "' failed while loading" + (p ? ' at line ' + p.line + ', column ' + p.column : '') + ': ' + errText(e), line: p ? p.line : null, column: p ? p.column : null });
        return;
      }
      if (typeof fn !== 'function') {
        send({ kind: 'load-error', message: "grader '" + NAME + "' defines no function named grade: write 'function grade(sample, item) { return 1; }' (or export it)", line: null, column: null });
        return;
      }
      gradeFn = fn;
      send({ kind: 'ready' });
    },
    handle: function (msg) {
      var m = parse(msg);
      if (m.kind !== 'grade' || gradeFn === null) return;
      current = { id: m.id, start: m.start, reqs: m.requests, timeout: m.sampleTimeoutMs, i: 0 };
      loop(current);
    }
  };
}`;

/** Settings the runtime reads from its `configJson` argument. */
export interface RuntimeConfig {
  /** Grader name used in every message. */
  name: string;
  /** Lines of sandbox code before the user's first line (subtracted from stack-frame line numbers). */
  lineOffset: number;
  /** Characters of wrapper code before the user's first column on the user's first line. */
  colOffset: number;
  /** Cap on the JSON size of `details`; larger details are replaced by a note. */
  maxDetailsChars: number;
  /** The file name (or URL) stack frames of user code carry; '' = the sandbox's own location.href. */
  fileTag: string;
}
