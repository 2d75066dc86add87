// The "what one update did" trace: the pure helpers on hand-made rows, then a real step whose traced
// log-probs are checked against a recompute done here, apart from the trainer: logits from a copy of
// the weights taken before the step (and from the updated policy), log-softmax in float64 in plain JS.
import { test, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Trainer } from '../../src/rl/trainer';
import type { TrainerEvent } from '../../src/rl/events';
import type { UpdateTrace } from '../../src/schema/updateTrace';
import { completionLogprobs, logprobDeltas, sequenceDelta, tracedRows } from '../../src/rl/updateDelta';
import { Llama } from '../../src/model';
import { charTokenizer, fnGrader, lowercaseGrader, tinyModel, toyTask } from './trainerFixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('completionLogprobs: token k of a completion starting at s is predicted at position s + k − 1', () => {
  // ids [p0 p1 c0 c1 pad] → log-prob row of width 4: [lp(p1) lp(c0) lp(c1) lp(pad)]
  expect(completionLogprobs([-0.1, -0.2, -0.3, -9], 2, 2)).toEqual([-0.2, -0.3]);
  expect(() => completionLogprobs([-0.1, -0.2], 2, 2)).toThrow(/does not fit a log-prob row of width 2/);
});

test('deltas are after − before per token and their sum per completion', () => {
  const c = { before: [-1, -2, -0.5], after: [-0.75, -2.5, -0.5] };
  expect(logprobDeltas(c)).toEqual([0.25, -0.5, 0]);
  expect(sequenceDelta(c)).toBeCloseTo(-0.25, 12);
  expect(() => logprobDeltas({ before: [-1], after: [] })).toThrow(/before has 1 log-probs but after has 0/);
});

test('tracedRows picks every row of the first n trained groups', () => {
  // trained rows hold samples 0..3 (group 0) and 8..11 (group 2), G = 4; group 1 was dropped
  const rows = [0, 1, 2, 3, 8, 9, 10, 11];
  expect(tracedRows(rows, 4, 1)).toEqual([0, 1, 2, 3]);
  expect(tracedRows(rows, 4, 2)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  expect(tracedRows(rows, 4, 0)).toEqual([]);
});

/** log p(ids[t]) for t ≥ start under `model`, log-softmax in float64 here (not through tokenLogprobs). */
function recompute(model: Llama, ids: number[], start: number): number[] {
  const logits = tf.tidy(() => model.forward([ids]).arraySync()[0]); // [T][V]
  const out: number[] = [];
  for (let t = start; t < ids.length; t++) {
    const row = logits[t - 1];
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
    out.push(row[ids[t]] - lse);
  }
  return out;
}

test('a traced step: before/after log-probs match a recompute with the weights before and after the update', async () => {
  const model = tinyModel(5);
  const events: TrainerEvent[] = [];
  const t = new Trainer({
    // a graded spread in every group (the first character's code mod 7), so every group carries signal
    model,
    tokenizer: await charTokenizer(),
    task: toyTask(),
    grader: fnGrader((s) => (s.length ? (s.charCodeAt(0) % 7) / 6 : 0)),
    traceGroups: 1,
    config: { batch_prompts: 2, num_generations: 4, max_completion_length: 3, learning_rate: 1e-2, eval_interval: 0, seed: 11 },
    onEvent: (e) => events.push(e),
  });
  const beforeWeights = new Llama(
    model.config,
    new Map([...model.params].map(([k, p]) => [k, tf.variable(p.clone(), false)] as [string, tf.Variable])),
  );
  await t.step();
  const ev = events.find((e) => e.kind === 'update');
  if (ev?.kind !== 'update') throw new Error('no update event');
  expect(ev.traces).toHaveLength(1); // traceGroups: 1
  const trace: UpdateTrace = ev.traces[0];
  const samples = events.find((e) => e.kind === 'samples');
  if (samples?.kind !== 'samples') throw new Error('no samples event');
  const group = samples.samples.filter((s) => s.group === trace.group);
  expect(trace.completions.map((c) => c.reward)).toEqual(group.map((s) => s.reward));
  expect(trace.completions.map((c) => c.advantage)).toEqual(group.map((s) => s.advantage));
  expect(trace.applied).toBe(true);
  let moved = 0,
    objective = 0;
  for (const c of trace.completions) {
    const ids = [...trace.promptIds, ...c.ids];
    const b = recompute(beforeWeights, ids, trace.promptIds.length);
    const a = recompute(model, ids, trace.promptIds.length);
    expect(c.tokens).toHaveLength(c.ids.length);
    c.before.forEach((x, k) => expect(x).toBeCloseTo(b[k], 4));
    c.after.forEach((x, k) => expect(x).toBeCloseTo(a[k], 4));
    logprobDeltas(c).forEach((d, k) => expect(d).toBeCloseTo(a[k] - b[k], 4));
    moved += logprobDeltas(c).filter((d) => Math.abs(d) > 1e-6).length;
    objective += (c.advantage * sequenceDelta(c)) / c.ids.length;
  }
  expect(moved).toBeGreaterThan(0);
  // The step climbs the GRPO objective Σ A·mean(log p): on this group it went up.
  expect(trace.completions.some((c) => c.advantage !== 0)).toBe(true);
  expect(objective).toBeGreaterThan(0);
  beforeWeights.dispose();
  t.dispose();
  model.dispose();
});

test('traceGroups defaults to 0: no update event, no extra forwards', async () => {
  const model = tinyModel(5);
  const kinds: string[] = [];
  const t = new Trainer({
    model,
    tokenizer: await charTokenizer(),
    task: toyTask(),
    grader: lowercaseGrader(),
    config: { batch_prompts: 2, num_generations: 4, max_completion_length: 2, eval_interval: 0, seed: 11 },
    onEvent: (e) => kinds.push(e.kind),
  });
  await t.step();
  expect(kinds).toEqual(['samples', 'metrics']);
  t.dispose();
  model.dispose();
});
