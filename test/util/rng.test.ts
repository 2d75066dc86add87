import { expect, test } from 'vitest';
import { Rng, hashString } from '../../src/util/rng';

test('same seed gives the same stream; different seeds differ', () => {
  const a = new Rng(1),
    b = new Rng(1),
    c = new Rng(2);
  const xs = Array.from({ length: 5 }, () => a.next());
  expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
  expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
});

test('state round-trips: a restored stream continues identically', () => {
  const a = new Rng(7);
  a.next();
  a.next();
  const b = Rng.fromState(a.state);
  expect([b.next(), b.next()]).toEqual([a.next(), a.next()]);
});

test('uniform enough: mean of 10k draws near 0.5, ints cover their range', () => {
  const r = new Rng(3);
  let sum = 0;
  const seen = new Set<number>();
  for (let i = 0; i < 10_000; i++) {
    sum += r.next();
    seen.add(r.int(10));
  }
  expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.02);
  expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('FNV-1a reference values', () => {
  // Published FNV-1a 32-bit test vectors: "" -> 0x811c9dc5, "a" -> 0xe40c292c, "foobar" -> 0xbf9cf968.
  expect(hashString('')).toBe(0x811c9dc5);
  expect(hashString('a')).toBe(0xe40c292c);
  expect(hashString('foobar')).toBe(0xbf9cf968);
});
