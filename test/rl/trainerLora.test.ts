// LoRA runs through the Trainer: only the adapter's weights move and only they have Adam state, the KL
// reference is the base (adapter off), nothing leaks over 50 steps, and checkpoint + resume of a LoRA
// run equals the straight run.
import { beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { defaultLoraConfig, loraOf, type LoraConfig } from '../../src/model/lora';
import { tokenLogprobs } from '../../src/model';
import { MemoryCheckpointSink } from '../../src/rl/checkpointSink';
import type { StepMetricsRecord } from '../../src/rl/events';
import { Trainer, TrainerStateError } from '../../src/rl/trainer';
import { charTokenizer, lowercaseGrader, timeless, tinyModel, toyTask } from './trainerFixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const LORA: LoraConfig = defaultLoraConfig(2, { alpha: 4, targets: ['q_proj', 'v_proj', 'up_proj'] });
const CONFIG = {
  batch_prompts: 3,
  num_generations: 4,
  max_completion_length: 2,
  learning_rate: 5e-2,
  eval_interval: 0,
  seed: 3,
  checkpoint_interval: 0,
};

async function make(config: Record<string, unknown>, lora: LoraConfig = LORA, sink?: MemoryCheckpointSink) {
  const model = tinyModel(5);
  const t = new Trainer({
    model,
    tokenizer: await charTokenizer(),
    task: toyTask(),
    grader: lowercaseGrader(),
    config,
    trainPool: 8,
    checkpoints: sink,
    lora,
  });
  return { model, t };
}

const bytes = (m: Map<string, tf.Variable>): Map<string, Float32Array> =>
  new Map([...m].map(([k, v]) => [k, Float32Array.from(v.dataSync())]));

test.each([
  ['grpo', 0.1],
  ['dapo', 0],
  ['sft', 0],
])('%s (beta %s): a step changes only the adapter; Adam holds state for the adapter alone', async (algo, beta) => {
  const sink = new MemoryCheckpointSink();
  const { model, t } = await make({ ...CONFIG, algo, beta }, LORA, sink);
  const base = bytes(model.params);
  const adapter = loraOf(model);
  if (!adapter) throw new Error('no adapter attached');
  expect(t.adapter).toBe(adapter);
  expect(t.hasReference).toBe(true); // the base with the adapter off, for any beta
  const before = bytes(adapter.params);
  const m = await t.step();
  for (const [k, v] of bytes(model.params)) expect(v, k).toEqual(base.get(k));
  const moved = (ref: Map<string, Float32Array>): string[] =>
    [...bytes(adapter.params)]
      .filter(([k, v]) => v.some((x, i) => x !== ref.get(k)?.[i]))
      .map(([k]) => k)
      .sort();
  // Step 1: B = 0 gives A no gradient, so exactly every B moves; step 2: A moves too.
  expect(moved(before)).toEqual([...adapter.params.keys()].filter((k) => k.endsWith('lora_B.weight')).sort());
  const afterFirst = bytes(adapter.params);
  await t.step();
  expect(moved(afterFirst)).toEqual([...adapter.params.keys()].sort());
  for (const [k, v] of bytes(model.params)) expect(v, k).toEqual(base.get(k));
  if (beta > 0) expect(m.kl).toBeGreaterThanOrEqual(0); // measured against the adapter switched off
  await t.checkpoint('manual');
  const cp = sink.saved[0].data;
  expect(Object.keys(cp.optimizer.m).sort()).toEqual([...adapter.params.keys()].sort());
  expect(cp.lora).toEqual(LORA);
  t.dispose();
  adapter.dispose();
  model.dispose();
});

test('the KL reference is the policy with the adapter off: kl = 0 before the adapter has moved, > 0 after', async () => {
  const { model, t } = await make({ ...CONFIG, beta: 0.5 });
  const first = await t.step();
  expect(first.kl).toBeCloseTo(0, 6); // B = 0 at the start: adapter on = adapter off
  const second = await t.step();
  expect(second.kl).toBeGreaterThan(1e-6);
  // and that reference is exactly the base model's log-probs
  const adapter = loraOf(model);
  if (!adapter) throw new Error('no adapter');
  const ids = [[1, 40, 50, 60, 2]];
  const off = adapter.withDisabled(() => tokenLogprobs(model, ids).logprobs);
  const onT = tokenLogprobs(model, ids).logprobs;
  const [offV, onV] = [Array.from(off.dataSync()), Array.from(onT.dataSync())];
  adapter.dispose();
  const baseT = tokenLogprobs(model, ids).logprobs;
  expect(Array.from(baseT.dataSync())).toEqual(offV);
  expect(onV).not.toEqual(offV);
  tf.dispose([off, onT, baseT]);
  t.dispose();
  model.dispose();
});

test('no tensor leak over 50 LoRA steps (dropout, KL reference, two passes)', async () => {
  const { model, t } = await make({ ...CONFIG, beta: 0.05, num_iterations: 2 }, { ...LORA, dropout: 0.1 });
  await t.step();
  const n = tf.memory().numTensors;
  for (let i = 1; i < 50; i++) await t.step();
  expect(tf.memory().numTensors).toBe(n);
  t.dispose();
  loraOf(model)?.dispose();
  model.dispose();
}, 120_000);

test('LoRA: 2 steps + checkpoint + restore into a new trainer + 2 steps = 4 steps in one run', async () => {
  const config = { ...CONFIG, beta: 0.05 };
  const lora = { ...LORA, dropout: 0.2 };
  const a = await make(config, lora);
  const straight: StepMetricsRecord[] = [];
  for (let i = 0; i < 4; i++) straight.push(await a.t.step());

  const sink = new MemoryCheckpointSink();
  const b = await make(config, lora, sink);
  const first = [await b.t.step(), await b.t.step()];
  await b.t.checkpoint('pause');
  b.t.dispose();
  loraOf(b.model)?.dispose();
  b.model.dispose();

  const c = await make(config, lora);
  c.t.restore(sink.saved[0].data);
  const second = [await c.t.step(), await c.t.step()];
  const all = [...first, ...second];
  expect(all.map((m) => m.step)).toEqual([0, 1, 2, 3]);
  for (let i = 0; i < 4; i++) expect(timeless(all[i])).toEqual(timeless(straight[i]));
  expect(straight[3].kl).toBeGreaterThan(0);
  const wa = bytes(loraOf(a.model)?.params ?? new Map()),
    wc = bytes(loraOf(c.model)?.params ?? new Map());
  expect(wa.size).toBe(6 * 1); // q, v, up × A, B × 1 layer
  for (const [k, v] of wa) expect(wc.get(k), k).toEqual(v);
  for (const r of [a, c]) {
    r.t.dispose();
    loraOf(r.model)?.dispose();
    r.model.dispose();
  }
});

test('a full-fine-tuning checkpoint is refused by a LoRA trainer, with what to do', async () => {
  const sink = new MemoryCheckpointSink();
  const model = tinyModel(5);
  const full = new Trainer({
    model,
    tokenizer: await charTokenizer(),
    task: toyTask(),
    grader: lowercaseGrader(),
    config: CONFIG,
    trainPool: 8,
    checkpoints: sink,
  });
  await full.checkpoint('manual');
  full.dispose();
  const { model: m2, t } = await make(CONFIG);
  expect(() => t.restore(sink.saved[0].data)).toThrow(TrainerStateError);
  expect(() => t.restore(sink.saved[0].data)).toThrow(/checkpoint is of a full fine-tuning run but this trainer does LoRA/);
  t.dispose();
  loraOf(m2)?.dispose();
  m2.dispose();
  model.dispose();
});
