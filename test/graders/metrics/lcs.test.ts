import { test, expect } from 'vitest';
import { lcsLength } from '../../../src/graders/metrics/ngrams';

// Independent reference: the textbook O(n·m) dynamic programme.
function lcsDp(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      t[i][j] = a[i - 1] === b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
    }
  }
  return t[a.length][b.length];
}

test('bit-parallel LCS: hand-computed cases', () => {
  // rouge_scorer_test.py testLcsTable: LCS([1,2,3,4,5], [2,5,3,4]) = 3; no common element -> 0.
  expect(lcsLength([1, 2, 3, 4, 5], [2, 5, 3, 4])).toBe(3);
  expect(lcsLength([1, 2, 3, 4, 5], [8, 9])).toBe(0);
  expect(lcsLength([...'ABCBDAB'], [...'BDCABA'])).toBe(4); // CLRS textbook example
  expect(lcsLength([], [...'abc'])).toBe(0);
});

test('bit-parallel LCS equals the DP on random sequences across word boundaries (31..97 elements)', () => {
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let trial = 0; trial < 200; trial++) {
    const la = 1 + rand(97);
    const lb = 1 + rand(97);
    const alpha = 2 + rand(5);
    const a = Array.from({ length: la }, () => String.fromCharCode(97 + rand(alpha)));
    const b = Array.from({ length: lb }, () => String.fromCharCode(97 + rand(alpha)));
    expect(lcsLength(a, b), `${a.join('')} / ${b.join('')}`).toBe(lcsDp(a, b));
  }
});
