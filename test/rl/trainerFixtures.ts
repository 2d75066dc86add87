// Shared by the trainer and rollout tests: a tiny random Llama over the built-in char tokenizer, a toy
// task, and small in-process graders (real Grader implementations, no sandbox).
import type { StepMetrics } from '../../src/schema/metrics';
import type { GradeRequest, GradeResult, Grader, Item } from '../../src/graders/types';
import { initLlama, type Llama, type LlamaConfig } from '../../src/model';
import { CHERRY_VOCAB_SIZE, loadCherryTokenizer, type Tokenizer } from '../../src/tokenizer';
import type { Task } from '../../src/tasks/types';

export const TINY: LlamaConfig = {
  architecture: 'LlamaForCausalLM',
  vocabSize: CHERRY_VOCAB_SIZE,
  hiddenSize: 16,
  intermediateSize: 32,
  numLayers: 1,
  numHeads: 4,
  numKVHeads: 2,
  headDim: 4,
  maxPositionEmbeddings: 64,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  tieWordEmbeddings: false,
  attentionBias: false,
  bosTokenId: 1,
  eosTokenIds: [2],
};

export function tinyModel(seed = 1): Llama {
  return initLlama(TINY, seed, 0.02);
}

let tok: Tokenizer | null = null;
export async function charTokenizer(): Promise<Tokenizer> {
  tok ??= await loadCherryTokenizer();
  return tok;
}

/** Prompts "p0:" … "p<n-1>:", every split disjoint; `extra` fields merged into every item. */
export function toyTask(extra: (i: number) => Item = () => ({}), maxNewTokens = 2): Task {
  const make = (offset: number, n: number): Item[] =>
    Array.from({ length: n }, (_, i) => ({ prompt: `p${offset + i}:`, reference_answer: 'a', ...extra(offset + i) }));
  return {
    name: 'toy',
    title: 'toy',
    explanation: 'toy',
    rl: true,
    model: 'none',
    maxNewTokens,
    items: (split, n) => make(split === 'train' ? 0 : split === 'validation' ? 100 : 200, Math.min(n, 40)),
    sftTarget: (item) => String(item.reference_answer),
    defaultGrader: { kind: 'js', code: 'function grade() { return 0; }' },
  };
}

/** A grader from a scoring function of the completion text; counts its gradeBatch calls. */
export function fnGrader(score: (text: string, item: Item) => number): Grader & { calls: number[] } {
  const calls: number[] = [];
  return {
    name: 'fn',
    calls,
    async gradeBatch(reqs: GradeRequest[]): Promise<GradeResult[]> {
      calls.push(reqs.length);
      return reqs.map((r) => ({ reward: score(r.sample.output_text, r.item), sub_rewards: {}, error: null, ms: 0 }));
    },
    dispose() {},
  };
}

/** Reward 1 when the completion starts with a lowercase letter (about 26 of the ~95 printable chars). */
export const lowercaseGrader = (): Grader & { calls: number[] } => fnGrader((t) => (/^[a-z]/.test(t) ? 1 : 0));

/** Metrics without the wall-clock fields, for determinism checks. */
export function timeless(m: StepMetrics): StepMetrics {
  const { sampling_ms: _s, grading_ms: _g, training_ms: _t, step_ms: _m, tokens_per_s: _p, ...out } = m;
  return out;
}
