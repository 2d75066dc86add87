// Fixed splits for generated problems. A problem's split is a function of its prompt alone (a hash
// of task name and prompt: 10% test, 10% validation, 80% train), so splits never overlap and a
// problem never moves between them. Problems come from one seeded stream per task, duplicates
// dropped, so `items(split, n)` is deterministic and a smaller n gives a prefix of a larger one.
import type { Item } from '../graders/types';
import { Rng, hashString } from '../util/rng';
import type { Split } from './types';

/** Fractions of problems in the test and validation splits; the rest is train. */
export const TEST_FRACTION = 0.1;
export const VALIDATION_FRACTION = 0.1;

/** The split a prompt belongs to, for a task. */
export function splitOf(task: string, prompt: string): Split {
  const u = hashString(`split\u0000${task}\u0000${prompt}`) / 4294967296;
  if (u < TEST_FRACTION) return 'test';
  if (u < TEST_FRACTION + VALIDATION_FRACTION) return 'validation';
  return 'train';
}

/** A problem: its prompt and the whole item (which includes the prompt). */
export interface Problem {
  prompt: string;
  item: Item;
}

/**
 * The first n problems of `split` drawn from `make` (called with the task's seeded stream).
 * Stops early (returns fewer) only when `make` keeps repeating itself, i.e. the space is exhausted.
 */
export function generateSplit(task: string, split: Split, n: number, make: (rng: Rng) => Problem): Item[] {
  const rng = new Rng(hashString(`task\u0000${task}`));
  const seen = new Set<string>();
  const out: Item[] = [];
  let repeats = 0;
  while (out.length < n && repeats < 20_000) {
    const p = make(rng);
    if (seen.has(p.prompt)) {
      repeats++;
      continue;
    }
    repeats = 0;
    seen.add(p.prompt);
    if (splitOf(task, p.prompt) === split) out.push(p.item);
  }
  return out;
}

/** The first n problems of `split` from a fixed list, in a seeded shuffled order. */
export function listSplit(task: string, split: Split, n: number, all: readonly Problem[]): Item[] {
  const mine = all.filter((p) => splitOf(task, p.prompt) === split);
  return new Rng(hashString(`order\u0000${task}`))
    .shuffle(mine)
    .slice(0, Math.max(0, n))
    .map((p) => p.item);
}

/** A number in [0, 1) fixed by a tag and a prompt (for per-problem decisions such as label noise). */
export function unitHash(tag: string, prompt: string): number {
  return hashString(`${tag}\u0000${prompt}`) / 4294967296;
}
