// The hostile-grader suite in Node: every bad behaviour ends as a clear error on that one sample, within
// the limit; the other samples of the batch are graded and the next call works.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJsGrader, type SandboxGrader } from '../../../src/graders/sandbox';
import { makeSample, type GradeResult } from '../../../src/graders/types';
import { chaosSource, NETWORK_ATTEMPTS, PAGE_ATTEMPTS } from './chaos';

const LIMIT = 300;
let server: Server;
let hits = 0;
let grader: SandboxGrader;

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.end('1');
  });
  server.on('upgrade', () => {
    hits++;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`; // AddressInfo: listen() on a TCP port
  grader = await createJsGrader(chaosSource(url), 'js', { name: 'chaos', limits: { sampleTimeoutMs: LIMIT }, memoryMb: 64 });
});
afterAll(async () => {
  grader?.dispose();
  await new Promise<void>((r) => server.close(() => r()));
});

const req = (t: string) => ({ sample: makeSample(t, 1), item: { reference_answer: '1' } });

/** Grades ['ok', what, 'ok'], checks the neighbours, then checks that a fresh call works. */
async function hostile(what: string): Promise<{ r: GradeResult; wall: number }> {
  const t0 = Date.now();
  const out = await grader.gradeBatch([req('ok'), req(what), req('ok')]);
  const wall = Date.now() - t0;
  expect(out[0]).toMatchObject({ reward: 1, error: null });
  expect(out[2]).toMatchObject({ reward: 1, error: null });
  const again = await grader.gradeBatch([req('ok')]);
  expect(again[0]).toMatchObject({ reward: 1, error: null });
  expect(out[1].reward).toBeNull();
  expect(out[1].error).toContain("grader 'chaos'");
  return { r: out[1], wall };
}

test('good samples: sync number, async promise, {score, details}', async () => {
  const out = await grader.gradeBatch([req('ok'), req('async'), req('details'), req('other')]);
  expect(out.map((r) => r.reward)).toEqual([1, 0.75, 0.25, 0]);
  expect(out[2].details).toEqual({ why: 'partial', n: [1, 2] });
  expect(out.every((r) => r.error === null && r.ms >= 0)).toBe(true);
});

test('an infinite loop is a timeout on that sample, within the limit, and the worker restarts', async () => {
  const { r, wall } = await hostile('loop');
  expect(r.error_kind).toBe('timeout');
  expect(r.error).toMatch(/sample 1/);
  expect(r.error).toMatch(/300 ms/);
  expect(wall).toBeLessThan(LIMIT + 1500);
});

test('a promise that never settles is a timeout', async () => {
  const { r, wall } = await hostile('never');
  expect(r.error_kind).toBe('timeout');
  expect(r.error).toMatch(/sample 1.*300 ms|300 ms.*sample 1/);
  expect(wall).toBeLessThan(LIMIT + 1500);
});

test('an endless microtask chain is a timeout', async () => {
  const { r } = await hostile('microtasks');
  expect(r.error_kind).toBe('timeout');
});

test('a throw reports the message and the line in the user source', async () => {
  const { r } = await hostile('throw');
  expect(r.error_kind).toBe('error');
  // `throw new Error('boom')` is on line 6 of CHAOS_GRADER (line 1 is the empty line after the backtick).
  expect(r.error).toMatch(/line 6, column \d+: Error: boom/);
});

test.each([
  ['nan', /returned NaN/],
  ['infinity', /returned Infinity/],
  ['string', /returned the string "high"/],
  ['undefined', /returned undefined/],
  ['huge', /returned an object with 20000 key\(s\)/],
  ['bad-score', /\{score: the string "x"\}/],
])('a return value that is not a finite number (%s) is an error saying what was returned', async (what, re) => {
  const { r } = await hostile(what);
  expect(r.error_kind).toBe('error');
  expect(r.error).toMatch(re);
  expect(r.error).toMatch(/sample 1/);
});

test('unbounded recursion is an error on that sample (stack overflow), not a crash', async () => {
  const { r } = await hostile('recursion');
  expect(r.error_kind).toBe('error');
  expect(r.error).toMatch(/RangeError: Maximum call stack size exceeded/);
});

test('huge details are capped, the score is kept', async () => {
  const out = await grader.gradeBatch([req('huge-details')]);
  expect(out[0].reward).toBe(0.5);
  expect(out[0].details).toEqual({ truncated: true, note: expect.stringMatching(/200\d{3} characters.*limit is 65536/) });
});

test('an allocation bomb kills only the worker (out of memory), and grading goes on', async () => {
  const big = await createJsGrader(chaosSource('http://127.0.0.1:9'), 'js', {
    name: 'chaos',
    limits: { sampleTimeoutMs: 20_000 },
    memoryMb: 32,
  });
  try {
    const out = await big.gradeBatch([req('ok'), req('bomb'), req('ok')]);
    expect(out[0].reward).toBe(1);
    expect(out[1]).toMatchObject({ reward: null, error_kind: 'error' });
    expect(out[1].error).toMatch(/out of memory/);
    expect(out[2].reward).toBe(1);
  } finally {
    big.dispose();
  }
});

test.each([...NETWORK_ATTEMPTS, ...PAGE_ATTEMPTS])(
  'no network and no page access: %s is an error and the server sees nothing',
  async (what) => {
    const before = hits;
    const { r } = await hostile(what);
    expect(r.error_kind).toBe('error');
    expect(r.error).toMatch(/is not available inside a grader|disallowed for this context|is not defined|strings are not evaluated/);
    await new Promise((res) => setTimeout(res, 50));
    expect(hits - before).toBe(0);
  },
);

test('the local server did work (the zero-request checks can fail)', async () => {
  const before = hits;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/probe`; // AddressInfo: TCP listener
  await fetch(url).then((r) => r.text());
  expect(hits - before).toBe(1);
});

test('the per-step limit marks the samples it did not reach', async () => {
  const slow = await createJsGrader('function grade(s) { const t = Date.now(); while (Date.now() - t < 150) {} return 1; }', 'js', {
    name: 'slow',
    limits: { sampleTimeoutMs: 1000, stepTimeoutMs: 400 },
  });
  try {
    const out = await slow.gradeBatch([req('a'), req('b'), req('c'), req('d'), req('e')]);
    expect(out.slice(0, 2).map((r) => r.reward)).toEqual([1, 1]);
    const last = out[4];
    expect(last).toMatchObject({ reward: null, error_kind: 'timeout' });
    expect(last.error).toMatch(/per-step limit of 400 ms/);
  } finally {
    slow.dispose();
  }
});
