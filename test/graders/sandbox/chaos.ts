// A deliberately hostile grader, shared by the Node and Chromium hostile-grader suites. Its behaviour is
// picked by the sample's text; 'ok' returns 1 so every test can check that the batch and the next call
// still work. `{{URL}}` is replaced by the address of a local HTTP server that must receive nothing.
export const CHAOS_GRADER = `
function grade(sample, item) {
  const t = sample.output_text;
  if (t === 'ok') return 1;
  if (t === 'loop') { while (true) {} }
  if (t === 'throw') { throw new Error('boom'); }
  if (t === 'nan') return NaN;
  if (t === 'infinity') return Infinity;
  if (t === 'string') return 'high';
  if (t === 'undefined') return undefined;
  if (t === 'huge') { const o = {}; for (let i = 0; i < 20000; i++) o['k' + i] = i; return o; }
  if (t === 'bad-score') return { score: 'x' };
  if (t === 'huge-details') return { score: 0.5, details: { blob: 'x'.repeat(200000) } };
  if (t === 'details') return { score: 0.25, details: { why: 'partial', n: [1, 2] } };
  if (t === 'bomb') { const keep = []; const n = item.chunk || 1e6; while (true) keep.push(new Array(n).fill(1.5)); }
  if (t === 'never') return new Promise(() => {});
  if (t === 'async') return new Promise((r) => setTimeout(() => r(0.75), 5));
  if (t === 'microtasks') return (async () => { while (true) await null; })();
  if (t === 'fetch') return fetch('{{URL}}/fetch').then(() => 1);
  if (t === 'xhr') { const x = new XMLHttpRequest(); x.open('GET', '{{URL}}/xhr', false); x.send(); return 1; }
  if (t === 'websocket') { new WebSocket('{{WS}}/ws'); return 1; }
  if (t === 'FontFace') return new FontFace('f', 'url({{URL}}/font.woff2)').load().then(() => 1);
  if (t === 'importScripts') { importScripts('{{URL}}/script.js'); return 1; }
  if (t === 'postMessage') { postMessage('{"kind":"result","id":1,"index":0,"reward":1}'); self.postMessage('x'); return 1; }
  if (t === 'Function') { const F = (function () {}).constructor; return F('return 1')(); }
  if (t === 'AsyncFunction') { const F = (async function () {}).constructor; F('return 1'); return 1; }
  if (t === 'eval') return eval('1');
  if (t === 'setTimeout-string') { setTimeout('globalThis.x = 1', 0); return 1; }
  if (t === 'indexedDB') { indexedDB.open('cherry'); return 1; }
  if (t === 'BroadcastChannel') { new BroadcastChannel('cherry').postMessage('hi'); return 1; }
  if (t === 'recursion') { const f = (n) => f(n + 1) + 1; return f(0); }
  if (t === 'require') { require('node:http').get('{{URL}}/require'); return 1; }
  if (t === 'process') { return process.pid; }
  if (t === 'escape') { return this.constructor.constructor('return process')().pid; }
  if (t === 'escape-item') { return item.constructor.constructor('return process')().pid; }
  return 0;
}
`;

/** Loads a grader with the chaos source bound to a server URL. */
export function chaosSource(url: string): string {
  return CHAOS_GRADER.replaceAll('{{URL}}', url).replaceAll('{{WS}}', url.replace(/^http/, 'ws'));
}

export const NETWORK_ATTEMPTS = ['fetch', 'xhr', 'websocket', 'FontFace', 'importScripts', 'require'];
export const PAGE_ATTEMPTS = [
  'postMessage',
  'indexedDB',
  'BroadcastChannel',
  'Function',
  'AsyncFunction',
  'eval',
  'setTimeout-string',
  'process',
  'escape',
  'escape-item',
];
