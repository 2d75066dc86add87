// One rollout: a batch of prompts, each sampled G times in ONE batched generate call (B·G rows, KV
// cache, seeded), decoded, and graded in ONE gradeBatch call. Plain data out: token ids for the
// loss, grade results for the advantages, and per-sample records for the UI.
import type { Llama } from '../model';
import { generate } from '../model';
import type { Tokenizer } from '../tokenizer';
import { itemPromptIds, stopIds } from '../tokenizer';
import { makeSample, type GradeResult, type Grader, type Item } from '../graders/types';
import type { SampleRecord } from './events';

/** A dataset item without a usable prompt string. */
export class RolloutInputError extends Error {
  override name = 'RolloutInputError';
}

export interface RolloutOptions {
  /** Completions per prompt (num_generations). */
  groupSize: number;
  /** Most tokens generated per completion (EOS included). */
  maxNewTokens: number;
  /** Sampling temperature (0 = greedy). */
  temperature: number;
  /** Keep the k most likely tokens (0 = off). */
  topK: number;
  /** Nucleus threshold (1 = off). */
  topP: number;
  /** Seed of the sampler for this rollout. */
  seed: number;
  /** Step number written into the sample records. */
  step: number;
  /** Index of the first group (so refill rounds continue the numbering). */
  firstGroup?: number;
}

export interface RolloutResult {
  /** The items, one per group. */
  items: Item[];
  /** Per row (B·G, group by group): prompt ids as the model saw them. */
  prompts: number[][];
  /** Per row: generated ids (ending with EOS when one stopped the row). */
  completions: number[][];
  /** Per row: the grade result. */
  grades: GradeResult[];
  /** Per row: the record shown to the user (advantage 0 until the trainer fills it in). */
  samples: SampleRecord[];
  /** Wall time of generation, ms. */
  sampling_ms: number;
  /** Wall time of grading, ms. */
  grading_ms: number;
  /** Completion tokens generated. */
  generated_tokens: number;
}

/** The prompt string of an item (built-in tasks and loaded datasets always set `prompt`). */
export function itemPrompt(item: Item, index: number): string {
  const p = item.prompt;
  if (typeof p !== 'string') {
    throw new RolloutInputError(`item ${index} has no "prompt" string (got ${JSON.stringify(p) ?? 'nothing'}); every task item needs one.`);
  }
  return p;
}

/** Samples `groupSize` completions for each item and grades them all in one call. */
export async function rollout(
  model: Llama,
  tokenizer: Tokenizer,
  grader: Grader,
  items: readonly Item[],
  opts: RolloutOptions,
): Promise<RolloutResult> {
  const G = opts.groupSize;
  const texts = items.map((it, i) => itemPrompt(it, i));
  const prompts: number[][] = [];
  items.forEach((it, i) => {
    const ids = itemPromptIds(tokenizer, it, i); // chat items through the model's chat template
    for (let g = 0; g < G; g++) prompts.push(ids);
  });
  const eosIds = stopIds(tokenizer, model.config.eosTokenIds);
  const t0 = performance.now();
  const gen = await generate(model, prompts, {
    maxNewTokens: opts.maxNewTokens,
    temperature: opts.temperature,
    topK: opts.topK,
    topP: opts.topP,
    seed: opts.seed,
    eosIds,
  });
  const t1 = performance.now();
  const outputs = gen.ids.map((ids) => tokenizer.decode(ids));
  const requests = gen.ids.map((ids, r) => ({
    sample: makeSample(outputs[r], ids.length, gen.finishReasons[r]),
    item: items[Math.floor(r / G)],
  }));
  const grades = await grader.gradeBatch(requests);
  const t2 = performance.now();
  if (grades.length !== requests.length) {
    throw new RolloutInputError(
      `grader '${grader.name}' returned ${grades.length} results for ${requests.length} samples; a grader must return one result per sample.`,
    );
  }
  const first = opts.firstGroup ?? 0;
  const samples: SampleRecord[] = grades.map((gr, r) => ({
    step: opts.step,
    group: first + Math.floor(r / G),
    prompt: texts[Math.floor(r / G)],
    completion: outputs[r],
    reward: gr.reward,
    sub_rewards: gr.sub_rewards,
    details: gr.details,
    error: gr.error,
    error_kind: gr.reward === null ? (gr.error_kind ?? 'error') : null,
    advantage: 0,
    length: gen.ids[r].length,
    truncated: gen.finishReasons[r] === 'length',
    trained: true,
  }));
  return {
    items: items.slice(),
    prompts,
    completions: gen.ids,
    grades,
    samples,
    sampling_ms: t1 - t0,
    grading_ms: t2 - t1,
    generated_tokens: gen.ids.reduce((s, ids) => s + ids.length, 0),
  };
}
