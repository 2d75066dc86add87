// Pure helpers of the grader's try-it pane: the item that hand-written outputs are graded against
// (parsed from its editable JSON), the grade requests of hand-written and sampled outputs (sent in ONE
// tryGrader call, hand-written first), and the reward spread of a group of samples of one prompt.
import { makeSample, type GradeRequest, type Item } from '../../graders/types';
import type { SampleForTryResult } from '../../worker/protocol';
import { tryLines } from '../grader/tryInputs';

/** The item JSON box does not hold a JSON object: what is wrong and what to do. */
export class TryItemError extends Error {
  override name = 'TryItemError';
}

/** Parses the item JSON box; throws TryItemError naming the problem. */
export function parseItem(text: string): Item {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new TryItemError(
      `The item JSON cannot be parsed (${e instanceof Error ? e.message : String(e)}): write one JSON object, e.g. {"reference_answer": "42"}, or pick an item.`,
    );
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new TryItemError(
      `The item must be a JSON object (the fields a grader reads as item.*), got ${Array.isArray(v) ? 'an array' : JSON.stringify(v)}.`,
    );
  }
  const item: Item = {};
  for (const [k, x] of Object.entries(v)) item[k] = x;
  return item;
}

/** The item as the JSON box shows it (2-space indent). */
export function itemText(item: Item): string {
  return JSON.stringify(item, null, 2);
}

/** A picker label: "#1 · " and the prompt on one line, cut at `max` characters with an ellipsis. */
export function itemLabel(item: Item, index: number, max = 60): string {
  const p = typeof item.prompt === 'string' ? item.prompt.replace(/\s+/g, ' ').trim() : JSON.stringify(item);
  return `#${index + 1} · ${p.length > max ? `${p.slice(0, max - 1)}…` : p}`;
}

/** One request per non-empty line of `outputs`, against `item` (character count stands in for tokens). */
export function handRequests(outputs: string, item: Item): GradeRequest[] {
  return tryLines(outputs).map((line) => ({ sample: makeSample(line, line.length, 'stop'), item }));
}

/** One request per sampled completion, item by item, each against its own item. */
export function sampledRequests(s: SampleForTryResult): GradeRequest[] {
  return s.completions.flatMap((group, i) =>
    group.map((c) => ({ sample: makeSample(c.text, c.tokens, c.finish_reason), item: s.items[i] })),
  );
}

/** The reward spread of one prompt's samples: what GRPO can learn from. */
export interface Spread {
  /** Rewards that are numbers (null = unscorable). */
  scored: number;
  /** Lowest / highest scored reward; null when none is scored. */
  min: number | null;
  max: number | null;
  /** True when fewer than two rewards are scored or all scored rewards are equal: zero advantage, no learning signal. */
  noSignal: boolean;
}

export function spreadOf(rewards: readonly (number | null)[]): Spread {
  const xs = rewards.filter((r): r is number => r !== null);
  if (xs.length === 0) return { scored: 0, min: null, max: null, noSignal: true };
  const min = Math.min(...xs),
    max = Math.max(...xs);
  return { scored: xs.length, min, max, noSignal: xs.length < 2 || max === min };
}

/** The spread in words: "spread 0.500 (0.250–0.750)" or "no signal: all 4 rewards are 1.000". */
export function spreadText(s: Spread, n: number): string {
  if (s.min === null || s.max === null) return `no signal: none of the ${n} samples could be scored`;
  if (s.scored < 2) return `no signal: only 1 of ${n} samples could be scored`;
  if (s.noSignal) return `no signal: all ${s.scored} rewards are ${s.min.toFixed(3)}${s.scored < n ? ` (${n - s.scored} unscorable)` : ''}`;
  return `spread ${(s.max - s.min).toFixed(3)} (${s.min.toFixed(3)}–${s.max.toFixed(3)})`;
}
