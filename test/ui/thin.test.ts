// thinRows (src/ui/charts/series.ts): a long run is drawn with about MAX_DRAWN_ROWS rows, every sparse
// point (validation reward) kept, the last step kept; short runs are drawn whole.
import { test, expect } from 'vitest';
import { MAX_DRAWN_ROWS, thinRows } from '../../src/ui/charts/series';

type R = { step: number; mean: number | null; val: number | null };
const run = (n: number, valEvery: number): R[] =>
  Array.from({ length: n }, (_, step) => ({ step, mean: step / n, val: step % valEvery === 0 ? 0.5 : null }));

test('at most max rows: nothing thinned', () => {
  const rows = run(MAX_DRAWN_ROWS, 10);
  expect(thinRows(rows)).toEqual(rows);
  expect(thinRows(run(5, 2), 5).map((r) => r.step)).toEqual([0, 1, 2, 3, 4]);
});

test('10 rows at max 4: every 3rd row (k = ceil(10/4) = 3) and the last; validation every 5 steps is sparse and kept', () => {
  // mean is on 10 rows (dense); val on steps 0 and 5: 2 rows <= 10/3, so sparse
  expect(thinRows(run(10, 5), 4).map((r) => r.step)).toEqual([0, 3, 5, 6, 9]);
});

test('a column on more rows than n / k is dense and thinned with the rest', () => {
  // val on every other step: 5 of 10 rows > 10/3, so not kept for itself
  expect(thinRows(run(10, 2), 4).map((r) => r.step)).toEqual([0, 3, 6, 9]);
});

test('a 5000-step run with validation every 50 steps: about 400 rows, all 100 validation points, the last step', () => {
  const rows = run(5000, 50);
  const thin = thinRows(rows);
  // k = ceil(5000/400) = 13: steps 0, 13, …, 4992 (385 rows), plus the last (4999), plus validation steps not on the stride
  const onStride = Math.ceil(5000 / 13);
  const valOffStride = Array.from({ length: 100 }, (_, i) => i * 50).filter((st) => st % 13 !== 0).length;
  expect(thin.length).toBe(onStride + 1 + valOffStride);
  expect(thin.filter((r) => r.val !== null).length).toBe(100);
  expect(thin.at(-1)?.step).toBe(4999);
  expect(thin.map((r) => r.step)).toEqual([...thin.map((r) => r.step)].sort((a, b) => a - b));
});
