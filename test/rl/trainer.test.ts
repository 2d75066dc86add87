// The Trainer's orchestration on a tiny random Llama: every parameter moves, no reference model at
// beta = 0, old log-probs used when num_iterations > 1, seeded runs repeat, live changes, SFT steps,
// and no tensor leaks.
import { test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Trainer } from '../../src/rl/trainer';
import { ConfigError } from '../../src/rl/config';
import type { TrainerEvent } from '../../src/rl/events';
import { charTokenizer, fnGrader, lowercaseGrader, timeless, tinyModel, toyTask, TINY } from './trainerFixtures';
import type { Item } from '../../src/graders/types';
import { paramShapes } from '../../src/model';
import { useBackend } from './backends';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const BASE = { batch_prompts: 2, num_generations: 4, max_completion_length: 2, learning_rate: 1e-2, eval_interval: 0, seed: 3 };
const P = paramShapes(TINY).size; // tensors per copy of the weights

async function trainer(config: Record<string, unknown>, onEvent?: (e: TrainerEvent) => void, seed = 1) {
  const model = tinyModel(seed);
  const t = new Trainer({
    model,
    tokenizer: await charTokenizer(),
    task: toyTask(),
    grader: lowercaseGrader(),
    config: { ...BASE, ...config },
    onEvent,
  });
  return { model, t };
}

test('one step changes every trainable parameter; events carry every sample with its advantage', async () => {
  const events: TrainerEvent[] = [];
  const { model, t } = await trainer({}, (e) => events.push(e));
  const before = new Map([...model.params].map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
  const m = await t.step();
  const unchanged = [...model.params].filter(([k, v]) => before.get(k)?.every((x, i) => x === v.dataSync()[i])).map(([k]) => k);
  expect(unchanged).toEqual([]);
  expect(m.update_skipped).toBe(0);
  expect(m.learning_rate).toBe(1e-2);
  const samples = events.find((e) => e.kind === 'samples');
  if (samples?.kind !== 'samples') throw new Error('no samples event');
  expect(samples.samples).toHaveLength(8);
  // GRPO with group scaling: advantages of a group with mixed rewards are (r − mean) / (std + 1e-4)
  for (let g = 0; g < 2; g++) {
    const grp = samples.samples.slice(g * 4, g * 4 + 4);
    const r = grp.map((s) => s.reward ?? NaN);
    const mean = r.reduce((a, b) => a + b, 0) / 4;
    const std = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    grp.forEach((s, i) => expect(s.advantage).toBeCloseTo(std === 0 ? 0 : (r[i] - mean) / (std + 1e-4), 5));
  }
  expect(m.reward_mean).toBeCloseTo(samples.samples.reduce((a, s) => a + (s.reward ?? 0), 0) / 8, 10);
  expect(events.map((e) => e.kind)).toEqual(['samples', 'metrics']);
  for (const k of [
    'policy_loss',
    'entropy',
    'clip_ratio_low',
    'clip_ratio_high',
    'grad_norm',
    'frac_groups_zero_std',
    'frac_truncated',
    'completion_length_mean',
    'advantage_std',
    'tokens_per_s',
    'sampling_ms',
    'grading_ms',
    'training_ms',
  ]) {
    expect(m, k).toHaveProperty(k);
  }
  t.dispose();
  model.dispose();
});

test('beta = 0 keeps no reference model; beta > 0 keeps one and reports KL', async () => {
  const n0 = tf.memory().numTensors;
  const a = await trainer({ beta: 0 });
  // the policy (+ its rotate-half matrix), two Adam moments and the last-good snapshot: 4 copies, no fifth
  expect(tf.memory().numTensors - n0).toBe(4 * P + 1);
  expect(a.t.hasReference).toBe(false);
  const ma = await a.t.step();
  expect(ma.kl).toBeNull();
  a.t.dispose();
  a.model.dispose();
  const n1 = tf.memory().numTensors;
  const b = await trainer({ beta: 0.1 });
  expect(tf.memory().numTensors - n1).toBe(5 * P + 2); // + the reference and its matrix
  expect(b.t.hasReference).toBe(true);
  const m1 = await b.t.step();
  expect(m1.kl).toBeCloseTo(0, 6); // first step: the policy is the reference
  const m2 = await b.t.step();
  expect(m2.kl).toBeGreaterThan(0);
  b.t.dispose();
  b.model.dispose();
  expect(tf.memory().numTensors).toBe(n0);
});

test('num_iterations = 2 uses the old log-probs: the ratio leaves 1 on the second pass', async () => {
  const one = await trainer({ num_iterations: 1 });
  const m1 = await one.t.step();
  expect(m1.ratio_mean).toBeCloseTo(1, 6);
  one.t.dispose();
  one.model.dispose();
  const two = await trainer({ num_iterations: 2, learning_rate: 5e-2 });
  const m2 = await two.t.step();
  // mean over the passes: pass 1 has ratio exactly 1, pass 2 the moved policy over the sampling one
  expect(Math.abs((m2.ratio_mean ?? 1) - 1)).toBeGreaterThan(1e-4);
  expect(m2.clip_ratio_low).not.toBeNull();
  expect(m2.clip_ratio_high).not.toBeNull();
  two.t.dispose();
  two.model.dispose();
});

test('same seed → same metrics and samples; another seed → other samples', async () => {
  const runOf = async (seed: number) => {
    const samples: string[] = [];
    const { model, t } = await trainer({ seed }, (e) => {
      if (e.kind === 'samples') samples.push(...e.samples.map((s) => s.completion));
    });
    const ms = [];
    for (let i = 0; i < 3; i++) ms.push(timeless(await t.step()));
    t.dispose();
    model.dispose();
    return { ms, samples };
  };
  const a = await runOf(7),
    b = await runOf(7),
    c = await runOf(8);
  expect(b.ms).toEqual(a.ms);
  expect(b.samples).toEqual(a.samples);
  expect(c.samples).not.toEqual(a.samples);
});

test('several steps leak no tensors; dispose frees everything the trainer made', async () => {
  const n0 = tf.memory().numTensors;
  const { model, t } = await trainer({ num_iterations: 2, beta: 0.05, eval_interval: 2 });
  await t.step();
  const n1 = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) await t.step();
  expect(tf.memory().numTensors).toBe(n1);
  t.dispose();
  model.dispose();
  expect(tf.memory().numTensors).toBe(n0);
});

test('live changes apply at the next step; frozen fields and beta without reference are refused', async () => {
  const { model, t } = await trainer({});
  await t.step();
  t.setConfig({ learning_rate: 3e-3, temperature: 0.5 });
  expect((await t.step()).learning_rate).toBe(3e-3);
  expect(() => t.setConfig({ beta: 0.1 })).toThrow(ConfigError);
  expect(() => t.setConfig({ seed: 99 })).toThrow(ConfigError);
  t.dispose();
  model.dispose();
});

test('validation runs before the first update, then every eval_interval steps (greedy mean reward on the validation split)', async () => {
  const evals: number[] = [];
  const { model, t } = await trainer({ eval_interval: 2 }, (e) => {
    if (e.kind === 'eval') evals.push(e.step);
  });
  const twin = await trainer({ eval_interval: 2 }); // the same starting weights, never stepped
  const startValue = (await twin.t.validate()).reward_mean;
  twin.t.dispose();
  twin.model.dispose();
  const ms = [];
  for (let i = 0; i < 4; i++) ms.push(await t.step());
  expect(evals).toEqual([0, 2, 4]); // steps completed when each ran
  expect(ms[0].eval_reward_mean).toBe(startValue); // step 0's record: the starting policy, which sampled step 0
  expect(startValue).toBeGreaterThan(0); // (a random model's greedy completions: some start lowercase)
  expect(ms[1].eval_reward_mean).toBeGreaterThanOrEqual(0);
  expect([ms[0], ms[2]].map((m) => m.eval_reward_mean === undefined)).toEqual([false, true]);
  t.dispose();
  model.dispose();
  // eval_interval 1: every record holds the validation after its update; no separate start
  const every: number[] = [];
  const one = await trainer({ eval_interval: 1 }, (e) => {
    if (e.kind === 'eval') every.push(e.step);
  });
  for (let i = 0; i < 2; i++) await one.t.step();
  expect(every).toEqual([1, 2]);
  one.t.dispose();
  one.model.dispose();
});

test('algo sft trains on the task labels: the NLL of the label falls', async () => {
  const { model, t } = await trainer({ algo: 'sft', learning_rate: 3e-2 });
  const losses: number[] = [];
  for (let i = 0; i < 8; i++) losses.push((await t.step()).sft_loss ?? NaN);
  // the label "a" + <eos> under a near-uniform 100-token model: about ln 100 = 4.6 nats per token
  expect(losses[0]).toBeGreaterThan(4);
  expect(losses[7]).toBeLessThan(losses[0] - 1);
  t.dispose();
  model.dispose();
});

test('on the wasm backend (the CLI default) too: parameters move and nothing leaks', async () => {
  await useBackend('wasm');
  try {
    const n0 = tf.memory().numTensors;
    const { model, t } = await trainer({ num_iterations: 2, beta: 0.05 });
    const before = new Map([...model.params].map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
    await t.step();
    const n1 = tf.memory().numTensors;
    const m = await t.step();
    expect(tf.memory().numTensors).toBe(n1);
    expect(m.update_skipped).toBe(0);
    const unchanged = [...model.params].filter(([k, v]) => before.get(k)?.every((x, i) => x === v.dataSync()[i])).map(([k]) => k);
    expect(unchanged).toEqual([]);
    t.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(n0);
  } finally {
    await useBackend('cpu');
  }
});

test('validation steps report the reward of each class of item when the task has classes', async () => {
  // Every third validation item is class "x" and scores 1 whatever the model writes; the rest score 0.25.
  const base = toyTask((i) => ({ k: i % 3 === 0 ? 'x' : 'y' }));
  const task = { ...base, itemClass: (it: Item) => String(it.k) };
  const grader = fnGrader((_text, it) => (it.k === 'x' ? 1 : 0.25));
  const t = new Trainer({
    model: tinyModel(1),
    tokenizer: await charTokenizer(),
    task,
    grader,
    evalPrompts: 9,
    config: { ...BASE, eval_interval: 1 },
  });
  const m = await t.step();
  expect(m.eval_reward_by_class).toEqual({ x: 1, y: 0.25 });
  expect(m.eval_reward_mean).toBeCloseTo((3 * 1 + 6 * 0.25) / 9, 12); // validation items 100..108: 3 of class x
  t.dispose();
  const plain = new Trainer({
    model: tinyModel(1),
    tokenizer: await charTokenizer(),
    task: base,
    grader,
    evalPrompts: 9,
    config: { ...BASE, eval_interval: 1 },
  });
  expect((await plain.step()).eval_reward_by_class).toBeUndefined();
  plain.dispose();
});

test('micro_batch_rows slices the update: the same metrics and weights, a lower memory peak', async () => {
  const runOf = async (micro: number) => {
    const { model, t } = await trainer({ micro_batch_rows: micro, beta: 0.05 });
    const ms: ReturnType<typeof timeless>[] = [];
    let peak = 0;
    for (let i = 0; i < 2; i++) {
      const info = await tf.profile(async () => {
        ms.push(timeless(await t.step()));
      });
      peak = Math.max(peak, info.peakBytes);
    }
    const weights = [...model.params.values()].map((w) => Array.from(w.dataSync()));
    t.dispose();
    model.dispose();
    return { ms, peak, weights };
  };
  const whole = await runOf(0), // automatic: all 8 rows in one slice
    sliced = await runOf(1);
  for (const [i, m] of whole.ms.entries()) {
    for (const [k, v] of Object.entries(m)) {
      const w = (sliced.ms[i] as Record<string, unknown>)[k];
      if (typeof v === 'number') expect(w, k).toBeCloseTo(v, 4);
      else expect(w, k).toEqual(v);
    }
  }
  for (const [i, w] of whole.weights.entries()) for (const [j, x] of w.entries()) expect(sliced.weights[i][j]).toBeCloseTo(x, 4);
  expect(sliced.peak).toBeLessThan(whole.peak);
});
