// What keeps a run alive: a grader that throws or hangs on some samples (those samples are null and
// counted, the run goes on), the NaN guard (skip and report; after max_bad_steps restore the last good
// weights), and DAPO dynamic sampling (zero-variance groups are dropped and refilled).
import { test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Trainer } from '../../src/rl/trainer';
import { loadGrader } from '../../src/graders';
import type { SampleRecord, TrainerEvent } from '../../src/rl/events';
import { charTokenizer, fnGrader, lowercaseGrader, tinyModel, toyTask } from './trainerFixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('a grader that throws or hangs on some samples: those are null and counted, the run continues', async () => {
  const grader = await loadGrader(
    {
      kind: 'js',
      name: 'flaky',
      code: 'function grade(sample, item) {\n  if (item.mode === "throw") throw new Error("boom");\n  if (item.mode === "hang") { while (true) {} }\n  return /^[a-z]/.test(sample.output_text) ? 1 : 0;\n}',
    },
    { sampleTimeoutMs: 300 },
  );
  const model = tinyModel(2);
  const samples: SampleRecord[] = [];
  // four training prompts, all drawn every step: p0, p1 fine, p2 throws, p3 hangs
  const task = toyTask((i) => ({ mode: ['ok', 'ok', 'throw', 'hang'][i % 4] }));
  const t = new Trainer({
    model,
    tokenizer: await charTokenizer(),
    task,
    grader,
    trainPool: 4,
    config: { batch_prompts: 4, num_generations: 2, max_completion_length: 2, learning_rate: 1e-2, eval_interval: 0, seed: 1 },
    onEvent: (e) => {
      if (e.kind === 'samples') samples.push(...e.samples);
    },
  });
  try {
    for (let i = 0; i < 2; i++) {
      const m = await t.step();
      expect(m.n_samples).toBe(8);
      expect(m.n_valid).toBe(4);
      expect(m.grader_errors).toBe(2);
      expect(m.grader_timeouts).toBe(2);
      expect(m.update_skipped).toBe(0);
    }
    expect(t.steps).toBe(2);
    for (const s of samples) {
      if (s.prompt === 'p2:')
        expect([s.reward, s.error_kind, s.advantage, s.error]).toEqual([null, 'error', 0, expect.stringMatching(/boom/)]);
      else if (s.prompt === 'p3:') expect([s.reward, s.error_kind, s.advantage]).toEqual([null, 'timeout', 0]);
      else expect(s.reward === 0 || s.reward === 1).toBe(true);
    }
  } finally {
    t.dispose();
    model.dispose();
    grader.dispose();
  }
}, 30_000);

test('NaN weights: updates are skipped and reported, then the last good weights come back', async () => {
  const model = tinyModel(4);
  const events: TrainerEvent[] = [];
  const t = new Trainer({
    model,
    tokenizer: await charTokenizer(),
    task: toyTask(),
    grader: lowercaseGrader(),
    config: {
      batch_prompts: 2,
      num_generations: 4,
      max_completion_length: 2,
      learning_rate: 1e-2,
      eval_interval: 0,
      seed: 1,
      max_bad_steps: 2,
    },
    onEvent: (e) => events.push(e),
  });
  const start = new Map([...model.params].map(([k, v]) => [k, Array.from(v.dataSync())]));
  expect((await t.step()).update_skipped).toBe(0); // verifies the starting weights (finite loss)
  const head = model.params.get('lm_head.weight');
  if (!head) throw new Error('no lm_head');
  head.assign(tf.fill(head.shape, NaN)); // a blown-up update, as a NaN learning rate would leave
  const bad1 = await t.step();
  expect([bad1.update_skipped, bad1.grad_norm, bad1.weights_restored]).toEqual([1, null, 0]);
  const bad2 = await t.step();
  expect([bad2.update_skipped, bad2.weights_restored]).toEqual([1, 1]);
  expect(events.filter((e) => e.kind === 'restored')).toEqual([{ kind: 'restored', step: 2, failures: 2 }]);
  // restored to the last weights that gave a finite loss: those before step 0's update
  for (const [k, v] of model.params) expect(Array.from(v.dataSync()), k).toEqual(start.get(k));
  const ok = await t.step();
  expect(ok.update_skipped).toBe(0);
  expect(Number.isFinite(ok.policy_loss)).toBe(true);
  t.dispose();
  model.dispose();
});

test('dynamic sampling drops zero-variance groups and refills from more prompts', async () => {
  // prompts p0..p39: even ones always score 1 (no variance), odd ones score by the first character
  const grader = fnGrader((text, item) => (Number(String(item.prompt).slice(1, -1)) % 2 === 0 ? 1 : /^[a-z]/.test(text) ? 1 : 0));
  const model = tinyModel(6);
  const samples: SampleRecord[][] = [];
  const t = new Trainer({
    model,
    tokenizer: await charTokenizer(),
    task: toyTask(),
    grader,
    config: {
      algo: 'dapo',
      batch_prompts: 4,
      num_generations: 8,
      max_completion_length: 1,
      eval_interval: 0,
      seed: 2,
      max_refill_rounds: 3,
    },
    onEvent: (e) => {
      if (e.kind === 'samples') samples.push(e.samples);
    },
  });
  const m = await t.step();
  t.dispose();
  model.dispose();
  const s = samples[0];
  const groups = new Map<number, SampleRecord[]>();
  for (const x of s) groups.set(x.group, [...(groups.get(x.group) ?? []), x]);
  const varied = [...groups.values()].filter((g) => new Set(g.map((x) => x.reward)).size > 1);
  // one gradeBatch per round; every round asks for the groups still missing
  expect(grader.calls.length).toBe((m.refill_rounds ?? 0) + 1);
  expect(grader.calls[0]).toBe(32);
  expect(m.refill_rounds).toBeGreaterThan(0);
  expect(m.groups_trained).toBe(Math.min(4, varied.length));
  // trained = the first 4 groups with reward variance; constant groups never train
  const trainedGroups = [...groups.entries()].filter(([, g]) => g[0].trained).map(([k]) => k);
  expect(trainedGroups).toEqual(
    [...groups.entries()]
      .filter(([, g]) => new Set(g.map((x) => x.reward)).size > 1)
      .map(([k]) => k)
      .slice(0, 4),
  );
  for (const g of groups.values()) expect(new Set(g.map((x) => x.trained)).size).toBe(1);
});
