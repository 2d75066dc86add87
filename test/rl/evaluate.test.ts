// evaluate: the statistics against hand-computed values, and a real run (tiny Llama, char tokenizer,
// a string_check grader) checked against properties that follow from the definitions: greedy
// samples of one prompt are identical (so every group has zero variance), rewards equal an
// independent exact-match check, chunking does not change greedy output, and a model SFT-trained to
// answer "42" scores 1.
import { test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initLlama, type LlamaConfig } from '../../src/model';
import { loadCherryTokenizer, type Tokenizer } from '../../src/tokenizer';
import { loadGrader } from '../../src/graders';
import type { Grader, Item } from '../../src/graders/types';
import { classMeans, evalStats, evaluate, evaluateItems, EvalOptionsError, type EvalSample } from '../../src/rl/evaluate';
import { AdamW } from '../../src/rl/optim';
import { sftBatch, sftStep } from '../../src/rl/sft';
import type { Task } from '../../src/tasks';
import { useBackend } from './backends';

const CONFIG: LlamaConfig = {
  architecture: 'LlamaForCausalLM',
  vocabSize: 100,
  hiddenSize: 16,
  intermediateSize: 32,
  numLayers: 2,
  numHeads: 4,
  numKVHeads: 2,
  headDim: 4,
  maxPositionEmbeddings: 32,
  rmsNormEps: 1e-5,
  ropeTheta: 10000,
  tieWordEmbeddings: true,
  attentionBias: false,
  bosTokenId: 1,
  eosTokenIds: [2],
};

const ITEMS: Item[] = ['1+1=', '20+22=', '5+5=', '9-3=', '30+12='].map((prompt) => ({ prompt, reference_answer: '42' }));
const TASK: Task = {
  name: 'toy',
  title: 'toy',
  explanation: 'toy',
  items: (_s, n) => ITEMS.slice(0, n),
  sftTarget: () => '42',
  defaultGrader: {
    kind: 'spec',
    spec: {
      type: 'string_check',
      name: 'exact',
      input: '{{ sample.output_text }}',
      reference: '{{ item.reference_answer }}',
      operation: 'eq',
    },
  },
  maxNewTokens: 4,
  model: 'none',
  rl: true,
};

let tok: Tokenizer;
let grader: Grader;
beforeAll(async () => {
  await useBackend('wasm');
  tok = await loadCherryTokenizer();
  grader = await loadGrader(TASK.defaultGrader);
});

test('evalStats: hand-computed mean, population std, pass@k, zero-std and null fractions', () => {
  const s = evalStats([
    [1, 0, 1, 0],
    [0, 0, 0, 0],
    [1, 1, 1, 1],
    [null, 0.5, 0.5, null],
  ]);
  // 14 scored rewards summing to 7; twelve are 0/1 at distance 0.5 from the mean, two are 0.5
  expect(s.n).toBe(4);
  expect(s.reward_mean).toBeCloseTo(0.5, 12);
  expect(s.reward_std).toBeCloseTo(Math.sqrt((12 * 0.25) / 14), 12);
  expect(s.pass_at_k).toBe(0.5); // groups 1 and 3 hold a 1
  expect(s.frac_zero_std).toBe(0.75); // groups 2, 3, 4
  expect(s.frac_null).toBe(2 / 16);
  // a lower pass threshold counts the 0.5 group; one scored sample is zero variance; no groups → zeros
  expect(evalStats([[null, 0.5]], 0.5)).toMatchObject({ pass_at_k: 1, frac_zero_std: 1, reward_std: 0 });
  expect(evalStats([])).toMatchObject({ n: 0, reward_mean: 0, pass_at_k: 0, frac_zero_std: 0 });
});

test('greedy: identical samples per group, rewards match an exact-match check, chunking is invisible', async () => {
  const model = initLlama(CONFIG, 11, 0.5);
  const n0 = tf.memory().numTensors;
  const a = await evaluate(model, tok, TASK, grader, { n: 5, samplesPerPrompt: 3, temperature: 0, chunkPrompts: 2 });
  const b = await evaluate(model, tok, TASK, grader, { n: 5, samplesPerPrompt: 3, temperature: 0, chunkPrompts: 5 });
  expect(tf.memory().numTensors).toBe(n0);
  expect(a.samples).toHaveLength(15);
  expect(a.frac_zero_std).toBe(1);
  for (let i = 0; i < 5; i++) expect(new Set(a.samples.filter((s) => s.index === i).map((s) => s.output)).size).toBe(1);
  for (const s of a.samples) expect(s.reward).toBe(s.output === '42' ? 1 : 0);
  expect(b.samples.map((s) => s.output)).toEqual(a.samples.map((s) => s.output));
  model.dispose();
});

test('sampling is seeded; a model SFT-trained on "42" scores 1', async () => {
  const model = initLlama(CONFIG, 12, 0.1);
  const opts = { n: 4, samplesPerPrompt: 4, temperature: 1, seed: 5 };
  const r1 = await evaluate(model, tok, TASK, grader, opts);
  const r2 = await evaluate(model, tok, TASK, grader, opts);
  expect(r2.samples.map((s) => s.output)).toEqual(r1.samples.map((s) => s.output));
  expect(r1.reward_mean).toBeLessThan(0.2); // a random 100-way model almost never writes "42<eos>"
  const opt = new AdamW(model.params, { beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0, maxGradNorm: 1 });
  const batch = sftBatch(tok, ITEMS, TASK.sftTarget);
  for (let i = 0; i < 60; i++) await sftStep(model, opt, batch, 2e-2);
  const after = await evaluate(model, tok, TASK, grader, { ...opts, temperature: 0 });
  expect(after.reward_mean).toBe(1);
  expect(after.pass_at_k).toBe(1);
  expect(after.frac_zero_std).toBe(1);
  opt.dispose();
  model.dispose();
});

test('bad options are refused with the option named', async () => {
  const model = initLlama(CONFIG, 1);
  await expect(evaluate(model, tok, TASK, grader, { n: 1, samplesPerPrompt: 0 })).rejects.toThrow(EvalOptionsError);
  await expect(evaluateItems(model, tok, ITEMS, grader, { n: 1, maxNewTokens: 0 })).rejects.toThrow(/maxNewTokens/);
  model.dispose();
});

test('classMeans: mean non-null reward per class of item, by hand', () => {
  const items: Item[] = [
    { prompt: 'a', k: 'x' },
    { prompt: 'b', k: 'y' },
    { prompt: 'c', k: 'x' },
  ];
  const sample = (index: number, reward: number | null): EvalSample => ({
    index,
    prompt: '',
    output: '',
    reward,
    error: null,
    finish_reason: 'stop',
  });
  const samples = [sample(0, 1), sample(0, 0), sample(1, 0.5), sample(1, null), sample(2, 1), sample(2, 1)];
  // x: items 0 and 2 → (1 + 0 + 1 + 1) / 4 = 0.75; y: item 1 → 0.5 (the null is not a zero)
  expect(classMeans(items, samples, (it) => String(it.k))).toEqual({ x: 0.75, y: 0.5 });
  expect(Object.keys(classMeans(items, samples, (it) => (it.k === 'x' ? 'z' : 'a')))).toEqual(['a', 'z']);
  expect(classMeans(items, [sample(1, null)], (it) => String(it.k))).toEqual({});
});

test('evaluate reports by_class only for a task with classes, consistent with the overall mean', async () => {
  const model = initLlama(CONFIG, 3);
  try {
    const plain = await evaluate(model, tok, TASK, grader, { n: 5, samplesPerPrompt: 1, temperature: 0 });
    expect(plain.by_class).toBeUndefined();
    const classed: Task = { ...TASK, itemClass: (it) => (String(it.prompt).includes('+') ? 'plus' : 'minus') };
    const r = await evaluate(model, tok, classed, grader, { n: 5, samplesPerPrompt: 1, temperature: 0 });
    const rewards = r.samples.map((s) => s.reward ?? 0);
    const plusIdx = [0, 1, 2, 4]; // '9-3=' is the one minus item
    expect(r.by_class).toEqual({ minus: rewards[3], plus: plusIdx.reduce((a, i) => a + rewards[i], 0) / 4 });
  } finally {
    model.dispose();
  }
});
