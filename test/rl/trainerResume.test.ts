// Resuming from a checkpoint: 4 steps in one go and 2 steps + checkpoint + a NEW trainer on a fresh
// copy of the initial weights restored from it + 2 more steps must give the same metrics and weights
// (the checkpoint carries weights, Adam moments, the RNG state, the data cursor and the step).
import { test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Trainer, TrainerStateError } from '../../src/rl/trainer';
import { MemoryCheckpointSink } from '../../src/rl/checkpointSink';
import type { StepMetricsRecord } from '../../src/rl/events';
import { parseSafetensors } from '../../src/schema/safetensors';
import { storedTransposed } from '../../src/model/weights';
import { charTokenizer, lowercaseGrader, timeless, tinyModel, toyTask } from './trainerFixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// A pool of 40 items at 3 prompts a step crosses an epoch boundary (reshuffle) only after 13 steps, so
// use a small train pool to also cross one: 8 items, 3 prompts a step → steps 3 and 4 cross epochs.
const CONFIG = {
  batch_prompts: 3,
  num_generations: 4,
  max_completion_length: 2,
  learning_rate: 1e-2,
  eval_interval: 0,
  seed: 11,
  checkpoint_interval: 0,
  beta: 0.05,
};

async function make(sink?: MemoryCheckpointSink, config: Record<string, unknown> = CONFIG) {
  const model = tinyModel(5);
  const t = new Trainer({
    model,
    tokenizer: await charTokenizer(),
    task: toyTask(),
    grader: lowercaseGrader(),
    config,
    trainPool: 8,
    checkpoints: sink,
  });
  return { model, t };
}

function weights(m: { params: Map<string, tf.Variable> }): Map<string, Float32Array> {
  return new Map([...m.params].map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
}

test('2 steps + checkpoint + restore into a new trainer + 2 steps = 4 steps in one run', async () => {
  const a = await make();
  const straight: StepMetricsRecord[] = [];
  for (let i = 0; i < 4; i++) straight.push(await a.t.step());

  const sink = new MemoryCheckpointSink();
  const b = await make(sink);
  const first: StepMetricsRecord[] = [await b.t.step(), await b.t.step()];
  await b.t.checkpoint('pause');
  b.t.dispose();
  b.model.dispose();
  const cp = sink.saved[0].data;
  expect(cp.step).toBe(2);
  expect(cp.cursor).toBe(6);

  const c = await make();
  c.t.restore(cp);
  expect(c.t.steps).toBe(2);
  const second: StepMetricsRecord[] = [await c.t.step(), await c.t.step()];
  expect(c.t.steps).toBe(4);

  const all = [...first, ...second];
  expect(all.map((m) => m.step)).toEqual([0, 1, 2, 3]);
  for (let i = 0; i < 4; i++) expect(timeless(all[i])).toEqual(timeless(straight[i]));
  // the steps actually learned something and the KL to the (initial-weights) reference is not zero
  expect(straight[3].kl).not.toBe(0);
  const wa = weights(a.model),
    wc = weights(c.model);
  for (const [k, v] of wa) expect(wc.get(k), k).toEqual(v);
  a.t.dispose();
  a.model.dispose();
  c.t.dispose();
  c.model.dispose();
});

test('live config changes saved in the checkpoint come back; another seed is refused', async () => {
  const sink = new MemoryCheckpointSink();
  const b = await make(sink);
  await b.t.step();
  b.t.setConfig({ learning_rate: 5e-3, temperature: 0.7 });
  await b.t.checkpoint('manual');
  b.t.dispose();
  b.model.dispose();
  const cp = sink.saved[0].data;

  const c = await make();
  c.t.restore(cp);
  expect(c.t.config.learning_rate).toBe(5e-3);
  expect(c.t.config.temperature).toBe(0.7);
  c.t.dispose();
  c.model.dispose();

  const d = await make(undefined, { ...CONFIG, seed: 12 });
  expect(() => d.t.restore(cp)).toThrow(TrainerStateError);
  expect(() => d.t.restore(cp)).toThrow(/seed is 11 but this trainer's is 12/);
  d.t.dispose();
  d.model.dispose();
});

test("the checkpoint's Adam moments are in its weights' (HF file) order, though the model holds linear weights transposed", async () => {
  // After one Adam step from zero moments, each weight moves by -lr·m/(|m|+ε): against m's sign. A
  // moment saved in another order than its weight breaks that for a transposed ([in, out] held) matrix.
  const sink = new MemoryCheckpointSink();
  const { model, t } = await make(sink, { ...CONFIG, beta: 0, weight_decay: 0 });
  await t.checkpoint('manual');
  await t.step();
  await t.checkpoint('manual');
  const [w0, w1] = sink.saved.map((s) => parseSafetensors(s.data.weights, 'checkpoint'));
  const m = sink.saved[1].data.optimizer.m;
  const name = 'model.layers.0.mlp.down_proj.weight';
  expect(storedTransposed(model.config, name)).toBe(true);
  const before = w0.get(name)!.data;
  const after = w1.get(name)!.data;
  let checked = 0;
  for (let i = 0; i < before.length; i++) {
    const moved = after[i] - before[i];
    if (Math.abs(m[name][i]) < 1e-9 || Math.abs(moved) < 1e-7) continue;
    expect(Math.sign(moved), `element ${i}`).toBe(-Math.sign(m[name][i]));
    checked++;
  }
  expect(checked).toBeGreaterThan(before.length / 2);
  t.dispose();
  model.dispose();
});
