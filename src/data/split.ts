// A seeded train/validation split by content: each row's side is decided by a hash of the seed and
// the row's own content (keys sorted), so the same row lands on the same side whatever the file
// order, whatever else is in the file, and on every machine.
import type { Item } from '../graders/types';
import { hashString } from '../util/rng';

/** Options of splitItems. */
export interface SplitOptions {
  /** Fraction of rows that go to validation, in [0, 1]. Default 0.1. */
  validationFraction?: number;
  /** Changes which rows go where; the same seed always gives the same split. Default 0. */
  seed?: number;
}

/** JSON with object keys sorted, so that key order does not change a row's hash. */
export function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  if (typeof x === 'object' && x !== null) {
    const keys = Object.keys(x).sort();
    const obj: Record<string, unknown> = { ...x };
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(x) ?? 'null';
}

/** A number in [0, 1) fixed by the seed and the row's content. */
export function contentUnit(item: unknown, seed: number): number {
  return hashString(`${seed >>> 0}\u0000${canonicalJson(item)}`) / 4294967296;
}

/** Splits rows into train and validation by content hash; the order within each side is kept. */
export function splitItems<T extends Item>(items: readonly T[], opts: SplitOptions = {}): { train: T[]; validation: T[] } {
  const f = opts.validationFraction ?? 0.1;
  if (!(f >= 0 && f <= 1)) throw new RangeError(`validationFraction must be between 0 and 1, got ${f}`);
  const seed = opts.seed ?? 0;
  const train: T[] = [];
  const validation: T[] = [];
  for (const it of items) (contentUnit(it, seed) < f ? validation : train).push(it);
  return { train, validation };
}
