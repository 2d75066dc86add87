// The hostile-grader suite in Chromium: user graders run in a Blob Web Worker; each bad behaviour ends
// as a clear error on that sample within the limit, the rest of the batch is graded, the next call works,
// and a local HTTP server sees zero requests. Needs `npx vite build` first (the harness serves dist/).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { openSession, type Session } from './harness';
import '../../test-pages/graders'; // for its `cherryGraders` global type only (page.evaluate bodies run in the page)
import { NETWORK_ATTEMPTS, PAGE_ATTEMPTS } from '../graders/sandbox/chaos';

interface Outcome {
  what: string;
  neighbours: (number | null)[];
  next: number | null;
  reward: number | null;
  error: string | null;
  kind: string | null | undefined;
  wall: number;
}

let s: Session;
let server: Server;
let serverUrl = '';
let hits = 0;
let page: Page;

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.end('1');
  });
  server.on('upgrade', () => {
    hits++;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`; // AddressInfo: TCP listener
  s = await openSession();
  page = await s.newPage();
  await page.goto(`${s.url}test-pages/graders.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
});
afterAll(async () => {
  await s?.close();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Runs ['ok', what, 'ok'] then ['ok'] for each case, in the page, with one grader. */
function runHostile(cases: string[], url: string, limit: number): Promise<Outcome[]> {
  return page.evaluate(
    async ({ cases, url, limit }) => {
      const api = globalThis.cherryGraders;
      if (!api) throw new Error('graders test page did not load');
      const g = await api.createJsGrader(api.chaosSource(url), 'js', { name: 'chaos', limits: { sampleTimeoutMs: limit } });
      const req = (t: string) => ({ sample: api.makeSample(t, 1), item: { reference_answer: '1', chunk: 1e4 } });
      const out: Outcome[] = [];
      for (const what of cases) {
        const t0 = performance.now();
        const r = await g.gradeBatch([req('ok'), req(what), req('ok')]);
        const wall = performance.now() - t0;
        const again = await g.gradeBatch([req('ok')]);
        out.push({
          what,
          neighbours: [r[0].reward, r[2].reward],
          next: again[0].reward,
          reward: r[1].reward,
          error: r[1].error,
          kind: r[1].error_kind,
          wall,
        });
      }
      g.dispose();
      return out;
    },
    { cases, url, limit },
  );
}

test('good samples: sync, async, details', async () => {
  const out = await page.evaluate(async () => {
    const api = globalThis.cherryGraders;
    if (!api) throw new Error('graders test page did not load');
    const g = await api.createJsGrader(api.chaosSource('http://127.0.0.1:9'), 'js', { name: 'chaos' });
    const r = await g.gradeBatch(['ok', 'async', 'details', 'other'].map((t) => ({ sample: api.makeSample(t, 1), item: {} })));
    g.dispose();
    return r;
  });
  expect(out.map((r) => r.reward)).toEqual([1, 0.75, 0.25, 0]);
  expect(out[2].details).toEqual({ why: 'partial', n: [1, 2] });
});

test('hangs, throws, bad return values and an allocation bomb: an error on that sample only', async () => {
  const out = await runHostile(
    ['loop', 'never', 'microtasks', 'throw', 'nan', 'string', 'undefined', 'huge', 'bad-score', 'bomb'],
    serverUrl,
    300,
  );
  for (const o of out) {
    expect(o.neighbours, o.what).toEqual([1, 1]);
    expect(o.next, o.what).toBe(1);
    expect(o.reward, o.what).toBeNull();
    expect(o.error, o.what).toContain("grader 'chaos'");
    expect(o.wall, o.what).toBeLessThan(300 + 3000);
  }
  const by = Object.fromEntries(out.map((o) => [o.what, o]));
  for (const w of ['loop', 'never', 'microtasks', 'bomb']) {
    expect(by[w].kind, w).toBe('timeout');
    expect(by[w].error, w).toMatch(/sample 1.*300 ms|300 ms.*sample 1/);
  }
  expect(by.throw.error).toMatch(/threw on sample 1 at line 6, column \d+: Error: boom/);
  expect(by.nan.error).toMatch(/returned NaN/);
  expect(by.string.error).toMatch(/returned the string "high"/);
  expect(by.undefined.error).toMatch(/returned undefined/);
  expect(by.huge.error).toMatch(/returned an object with 20000 key\(s\)/);
  expect(by['bad-score'].error).toMatch(/\{score: the string "x"\}/);
});

test('no network and no page access: each attempt is an error and the server sees nothing', async () => {
  const before = hits;
  const out = await runHostile([...NETWORK_ATTEMPTS, ...PAGE_ATTEMPTS], serverUrl, 500);
  await new Promise((r) => setTimeout(r, 200));
  for (const o of out) {
    expect(o.neighbours, o.what).toEqual([1, 1]);
    expect(o.next, o.what).toBe(1);
    expect(o.kind, o.what).toBe('error');
    expect(o.error, o.what).toMatch(/is not available inside a grader|is not defined|strings are not evaluated/);
  }
  expect(hits - before).toBe(0);
  expect(s.errors.filter((e) => !/the server responded with a status|net::/.test(e))).toEqual([]);
});

test('a grader started from inside a Web Worker (as the train worker does) works and is still sandboxed', async () => {
  const before = hits;
  const out = await page.evaluate(async (url) => {
    const api = globalThis.cherryGraders;
    if (!api) throw new Error('graders test page did not load');
    // The page's entry chunk starts with Vite's modulepreload polyfill, which asks \`document\` whether
    // modulepreload is supported; a worker has no document, so answer "yes" (the polyfill then does nothing).
    const code = `
      globalThis.document = { createElement: () => ({ relList: { supports: () => true } }) };
      const api = (await import(${JSON.stringify(api.moduleUrl)}), globalThis.cherryGraders);
      const g = await api.createJsGrader(api.chaosSource(${JSON.stringify(url)}), 'js', { name: 'nested', limits: { sampleTimeoutMs: 300 } });
      const r = await g.gradeBatch(['ok', 'loop', 'fetch', 'ok'].map((t) => ({ sample: api.makeSample(t, 1), item: {} })));
      const again = await g.gradeBatch([{ sample: api.makeSample('ok', 1), item: {} }]);
      g.dispose();
      postMessage(JSON.stringify([...r, ...again].map((x) => [x.reward, x.error_kind ?? null])));
    `;
    const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
    const text = await new Promise<string>((resolve, reject) => {
      w.onmessage = (e: MessageEvent) => resolve(String(e.data));
      w.onerror = (e: ErrorEvent) => reject(new Error(e.message));
    });
    w.terminate();
    return text;
  }, serverUrl);
  expect(JSON.parse(out)).toEqual([
    [1, null],
    [null, 'timeout'],
    [null, 'error'],
    [1, null],
    [1, null],
  ]);
  expect(hits - before).toBe(0);
});

test('the page itself can reach the server (so the zero-request check can fail)', async () => {
  const before = hits;
  await page.evaluate(async (url) => {
    await fetch(`${url}/probe`, { mode: 'no-cors' }).catch(() => undefined);
  }, serverUrl);
  await new Promise((r) => setTimeout(r, 200));
  expect(hits - before).toBe(1);
});

test('syntax errors give the user line and column; a missing grade and a dynamic import() are clear errors', async () => {
  const errs = await page.evaluate(async () => {
    const api = globalThis.cherryGraders;
    if (!api) throw new Error('graders test page did not load');
    const msgs: string[] = [];
    const codes = [
      '// my grader\nfunction grade(s) {\n  return s.(;\n}\n',
      'function score() { return 1; }',
      'async function grade(s) {\n  const m = await import("http://127.0.0.1:9/x.js");\n  return 1;\n}',
    ];
    for (const code of codes) {
      try {
        (await api.createJsGrader(code, 'js', { name: 'mine' })).dispose();
        msgs.push('loaded');
      } catch (e) {
        msgs.push(String(e));
      }
    }
    return msgs;
  });
  expect(errs[0]).toMatch(/GraderLoadError: grader 'mine': syntax error at line 3, column 12/);
  expect(errs[1]).toMatch(/defines no function named grade/);
  expect(errs[2]).toMatch(/dynamic import\(\) is not allowed in a grader \(line 2, column 19\)/);
});

test('a Python grader runs in Pyodide served from our origin; a loop times out and the next call works', async () => {
  const out = await page.evaluate(async () => {
    const api = globalThis.cherryGraders;
    if (!api) throw new Error('graders test page did not load');
    const src = [
      'def grade(sample, item):',
      '    if sample["output_text"] == "loop":',
      '        while True:',
      '            pass',
      '    if sample["output_text"] == "escape":',
      '        import sys',
      '        sys.meta_path.pop(0)',
      '        import js',
      '        reachable = [n for n in ("fetch", "XMLHttpRequest", "WebSocket", "importScripts", "postMessage") if hasattr(js, n)]',
      '        if reachable:',
      '            return {"score": 1.0, "details": reachable}',
      '        js.eval("1")',
      '    return 1.0 if sample["output_text"] == item["ref"] else 0.0',
    ].join('\n');
    // A generous load limit: on a loaded 2-core machine a cold Pyodide start in Chromium has taken over 30 s.
    const g = await api.createPythonGrader(src, { name: 'py', limits: { sampleTimeoutMs: 1000 }, loadTimeoutMs: 150_000 });
    const req = (t: string) => ({ sample: api.makeSample(t, 1), item: { ref: 'a' } });
    const first = await g.gradeBatch([req('a'), req('loop'), req('b')]);
    const next = await g.gradeBatch([req('a'), req('escape')]);
    g.dispose();
    return { first, next };
  });
  expect(
    out.first.map((r) => r.reward),
    JSON.stringify(out),
  ).toEqual([1, null, 0]);
  expect(out.first[1].error_kind).toBe('timeout');
  expect(out.next[0].reward).toBe(1);
  // A grader that removes the import guard reaches the JS bridge but finds no network, no postMessage, no eval.
  expect(out.next[1]).toMatchObject({ reward: null, error_kind: 'error' });
  expect(out.next[1].error).toMatch(/eval\(\) is not available inside a grader/);
}, 240_000);

test("in the page, a Python grader imports rapidfuzz (the graders guide example) and gets rapidfuzz's documented score", async () => {
  const out = await page.evaluate(async () => {
    const api = globalThis.cherryGraders;
    if (!api) throw new Error('graders test page did not load');
    // https://platform.openai.com/docs/guides/graders, "Python graders".
    const src =
      'from rapidfuzz import fuzz, utils\n\ndef grade(sample, item) -> float:\n    return fuzz.WRatio(sample["output_text"], item["reference_answer"], processor=utils.default_process) / 100.0\n';
    const g = await api.createPythonGrader(src, { name: 'guide', loadTimeoutMs: 150_000 });
    const r = await g.gradeBatch([{ sample: api.makeSample('this is a test', 1), item: { reference_answer: 'this is a new test!!!' } }]);
    g.dispose();
    return r;
  });
  // rapidfuzz docs: WRatio("this is a test", "this is a new test!!!", processor=default_process) = 95.
  expect(out[0].error).toBeNull();
  expect(out[0].reward).toBeCloseTo(0.95, 12);
});
