import { test, expect } from 'vitest';
import { splitItems, canonicalJson, contentUnit } from '../../src/data';
import { Rng } from '../../src/util/rng';

const rows = Array.from({ length: 20_000 }, (_, i) => ({ prompt: `${i}+${i % 7}=`, reference_answer: String(i + (i % 7)) }));

test('canonical JSON sorts keys at every depth', () => {
  expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }] })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
  expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
});

test('the validation fraction is about right and the sides are disjoint and complete', () => {
  const { train, validation } = splitItems(rows, { validationFraction: 0.1, seed: 3 });
  expect(train.length + validation.length).toBe(rows.length);
  // Binomial(20000, 0.1): sd ~ 42, so +-300 is over 7 sd.
  expect(Math.abs(validation.length - 2000)).toBeLessThan(300);
  const v = new Set(validation.map((r) => r.prompt));
  expect(train.some((r) => v.has(r.prompt))).toBe(false);
});

test('a row lands on the same side whatever the order or the other rows', () => {
  const a = splitItems(rows, { validationFraction: 0.2, seed: 7 });
  const shuffled = new Rng(1).shuffle(rows);
  const b = splitItems(shuffled, { validationFraction: 0.2, seed: 7 });
  const key = (xs: { prompt: string }[]) => xs.map((r) => r.prompt).sort();
  expect(key(b.validation)).toEqual(key(a.validation));
  // A small file holding some of the same rows (with keys reordered) puts them on the same sides.
  const some = rows.slice(100, 400).map((r) => ({ reference_answer: r.reference_answer, prompt: r.prompt }));
  const c = splitItems(some, { validationFraction: 0.2, seed: 7 });
  const inA = new Set(a.validation.map((r) => r.prompt));
  for (const r of c.validation) expect(inA.has(r.prompt)).toBe(true);
  for (const r of c.train) expect(inA.has(r.prompt)).toBe(false);
});

test('the seed changes the split; fractions 0 and 1 are all-train and all-validation', () => {
  const a = splitItems(rows, { validationFraction: 0.5, seed: 1 });
  const b = splitItems(rows, { validationFraction: 0.5, seed: 2 });
  const inA = new Set(a.validation.map((r) => r.prompt));
  const same = b.validation.filter((r) => inA.has(r.prompt)).length;
  // Independent halves overlap in about a quarter of the rows (5000), not all 10000.
  expect(Math.abs(same - 5000)).toBeLessThan(400);
  expect(splitItems(rows, { validationFraction: 0 }).validation).toHaveLength(0);
  expect(splitItems(rows, { validationFraction: 1 }).train).toHaveLength(0);
  expect(() => splitItems(rows, { validationFraction: 1.5 })).toThrow(RangeError);
  const u = contentUnit(rows[0], 0);
  expect(u >= 0 && u < 1).toBe(true);
});
