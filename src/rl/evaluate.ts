// Evaluation of a model on a task split: K samples per prompt, graded, summarised by the statistics RFT
// cares about (mean reward, pass@K, and the fraction of groups with zero reward variance, which carry
// no gradient in GRPO). Batched: one generate call and one gradeBatch call per chunk of prompts.
import type { Grader, Item } from '../graders/types';
import { makeSample } from '../graders/types';
import { generate, type Llama } from '../model';
import { itemPromptIds, stopIds, type Tokenizer } from '../tokenizer';
import type { Split, Task } from '../tasks/types';
import { groupStats } from './advantages';

/** Bad evaluation options (names the option and what to pass). */
export class EvalOptionsError extends Error {
  override name = 'EvalOptionsError';
}

export interface EvalOptions {
  /** Split to evaluate on (default 'test'). */
  split?: Split;
  /** Number of prompts (the first n items of the split). */
  n: number;
  /** K: samples per prompt, the group size (default 8). */
  samplesPerPrompt?: number;
  /** Sampling temperature; 0 = greedy (default 1). */
  temperature?: number;
  /** Seed of the sampling RNG (default 0); chunk c samples with seed + c. */
  seed?: number;
  /** Generation budget per completion; default the task's maxNewTokens. */
  maxNewTokens?: number;
  /** Prompts per generate call (default 32): bounds memory, groups share a call. */
  chunkPrompts?: number;
  /** A reward at or above this counts as a pass for pass@K (default 1). */
  passThreshold?: number;
  /** Called after each chunk with the prompts done so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** One graded completion. */
export interface EvalSample {
  /** Index of the prompt in the evaluated items. */
  index: number;
  prompt: string;
  output: string;
  /** The grader's reward, or null when the sample could not be scored. */
  reward: number | null;
  /** The grader's message for a null reward. */
  error: string | null;
  finish_reason: 'stop' | 'length';
}

/** Summary statistics of a set of groups of rewards. */
export interface EvalStats {
  /** Number of prompts (groups). */
  n: number;
  /** Mean of all non-null rewards (0 when there are none). */
  reward_mean: number;
  /** Population standard deviation of all non-null rewards. */
  reward_std: number;
  /** Fraction of prompts with at least one sample at or above the pass threshold. */
  pass_at_k: number;
  /** Fraction of groups with zero reward variance (fewer than 2 scored samples counts as zero). */
  frac_zero_std: number;
  /** Fraction of samples whose reward was null. */
  frac_null: number;
}

export interface EvalResult extends EvalStats {
  /** Mean reward of each class of items (Task.itemClass), nulls excluded; absent when the task has no classes. */
  by_class?: Record<string, number>;
  /** K. */
  samples_per_prompt: number;
  /** Every sample, grouped by prompt (K consecutive entries per prompt). */
  samples: EvalSample[];
}

/** The statistics of `groups` (one array of K rewards per prompt). Pure. */
export function evalStats(groups: readonly (readonly (number | null)[])[], passThreshold = 1): EvalStats {
  const all: number[] = [];
  let nulls = 0,
    total = 0,
    passed = 0,
    zero = 0;
  for (const g of groups) {
    total += g.length;
    const vals = g.filter((r): r is number => r !== null);
    nulls += g.length - vals.length;
    all.push(...vals);
    if (vals.some((r) => r >= passThreshold - 1e-9)) passed++;
    if (g.length === 0 || groupStats(g, g.length)[0].zeroStd) zero++;
  }
  const n = groups.length;
  const mean = all.length ? all.reduce((a, b) => a + b, 0) / all.length : 0;
  const variance = all.length ? all.reduce((a, b) => a + (b - mean) * (b - mean), 0) / all.length : 0;
  return {
    n,
    reward_mean: mean,
    reward_std: Math.sqrt(variance),
    pass_at_k: n ? passed / n : 0,
    frac_zero_std: n ? zero / n : 0,
    frac_null: total ? nulls / total : 0,
  };
}

/**
 * Samples K completions for each of the first `opts.n` items of a split, grades them with `grader`
 * and summarises. The caller owns model, tokenizer and grader (nothing is disposed here).
 */
export async function evaluate(model: Llama, tok: Tokenizer, task: Task, grader: Grader, opts: EvalOptions): Promise<EvalResult> {
  const items = task.items(opts.split ?? 'test', opts.n);
  const r = await evaluateItems(model, tok, items, grader, { ...opts, maxNewTokens: opts.maxNewTokens ?? task.maxNewTokens });
  return task.itemClass ? { ...r, by_class: classMeans(items, r.samples, task.itemClass) } : r;
}

/** Mean non-null reward of the samples of each class of items, classes in name order. Pure. */
export function classMeans(
  items: readonly Item[],
  samples: readonly EvalSample[],
  itemClass: (item: Item) => string,
): Record<string, number> {
  const sums = new Map<string, { total: number; n: number }>();
  for (const s of samples) {
    if (s.reward === null) continue;
    const c = itemClass(items[s.index]);
    const acc = sums.get(c) ?? { total: 0, n: 0 };
    acc.total += s.reward;
    acc.n++;
    sums.set(c, acc);
  }
  return Object.fromEntries([...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([c, { total, n }]) => [c, total / n]));
}

/** `evaluate` on given items (each with a string `prompt`). */
export async function evaluateItems(
  model: Llama,
  tok: Tokenizer,
  items: readonly Item[],
  grader: Grader,
  opts: EvalOptions & { maxNewTokens: number },
): Promise<EvalResult> {
  const K = opts.samplesPerPrompt ?? 8;
  const chunk = opts.chunkPrompts ?? 32;
  const temperature = opts.temperature ?? 1;
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(K) || K < 1) throw new EvalOptionsError(`samplesPerPrompt must be a positive integer, got ${K}.`);
  if (!Number.isInteger(chunk) || chunk < 1) throw new EvalOptionsError(`chunkPrompts must be a positive integer, got ${chunk}.`);
  if (!(temperature >= 0)) throw new EvalOptionsError(`temperature must be >= 0 (0 = greedy), got ${temperature}.`);
  if (!Number.isInteger(opts.maxNewTokens) || opts.maxNewTokens < 1)
    throw new EvalOptionsError(`maxNewTokens must be a positive integer, got ${opts.maxNewTokens}.`);
  const eosIds = stopIds(tok, model.config.eosTokenIds);
  const samples: EvalSample[] = [];
  const groups: (number | null)[][] = [];
  for (let start = 0, c = 0; start < items.length; start += chunk, c++) {
    const part = items.slice(start, start + chunk);
    const prompts: number[][] = [];
    part.forEach((it, i) => {
      if (typeof it.prompt !== 'string') throw new EvalOptionsError(`item ${start + i} has no string "prompt" field.`);
      const ids = itemPromptIds(tok, it, start + i); // chat items through the model's chat template
      for (let k = 0; k < K; k++) prompts.push(ids);
    });
    const gen = await generate(model, prompts, { maxNewTokens: opts.maxNewTokens, temperature, seed: seed + c, eosIds });
    const texts = gen.ids.map((ids) => tok.decode(ids));
    const results = await grader.gradeBatch(
      gen.ids.map((ids, r) => ({
        sample: makeSample(texts[r], ids.length, gen.finishReasons[r]),
        item: part[Math.floor(r / K)],
      })),
    );
    part.forEach((it, i) => {
      const g: (number | null)[] = [];
      for (let k = 0; k < K; k++) {
        const r = i * K + k;
        const reward = results[r]?.reward ?? null;
        g.push(reward);
        samples.push({
          index: start + i,
          prompt: String(it.prompt),
          output: texts[r],
          reward,
          error: results[r]?.error ?? null,
          finish_reason: gen.finishReasons[r],
        });
      }
      groups.push(g);
    });
    opts.onProgress?.(Math.min(items.length, start + chunk), items.length);
  }
  return { ...evalStats(groups, opts.passThreshold ?? 1), samples_per_prompt: K, samples };
}
