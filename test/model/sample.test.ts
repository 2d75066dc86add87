// Next-token sampling against hand-computed CDFs, generate()'s seeds, EOS and stop strings, and its speed
// lever (a group's prompt prefilled once) against the plain path.
import { test, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { generate, initLlama, sampleLogits } from '../../src/model';
import { promptGroups, sampleSettings } from '../../src/model/sample';
import { tinyConfig, useBackend } from './helpers';

const P = [0.1, 0.2, 0.3, 0.4];

function pick(u: number, opts: { temperature?: number; topK?: number; topP?: number }): number {
  return tf.tidy(() => sampleLogits(tf.tensor2d([P.map(Math.log)]), [u], opts).dataSync()[0]);
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: sampleLogits follows the hand-computed CDF under temperature, top-k and top-p`, async () => {
    await useBackend(backend);
    // T=1: cdf = [0.1, 0.3, 0.6, 1.0]
    expect([0.05, 0.25, 0.59, 0.99].map((u) => pick(u, {}))).toEqual([0, 1, 2, 3]);
    expect(pick(0.01, { temperature: 0 })).toBe(3);
    // T=2: p ∝ sqrt(P) → cdf ≈ [0.163, 0.393, 0.675, 1]
    expect([0.15, 0.35, 0.66, 0.7].map((u) => pick(u, { temperature: 2 }))).toEqual([0, 1, 2, 3]);
    // top-k 2 keeps {0.3, 0.4} → cdf [0, 0, 3/7, 1]
    expect([0.01, 0.42, 0.44].map((u) => pick(u, { topK: 2 }))).toEqual([2, 2, 3]);
    // top-p 0.5: mass before each sorted token [0, 0.4, 0.7, 0.9] → keeps {0.4, 0.3}; top-p 0.35 keeps {0.4}
    expect([0.01, 0.42, 0.44].map((u) => pick(u, { topP: 0.5 }))).toEqual([2, 2, 3]);
    expect([0.01, 0.5, 0.99].map((u) => pick(u, { topP: 0.35 }))).toEqual([3, 3, 3]);
    // u close to 1 never lands on a masked tail id (reversed P: top-2 are ids 0 and 1).
    const rev = tf.tidy(() => sampleLogits(tf.tensor2d([[...P].reverse().map(Math.log)]), [0.99999994], { topK: 2 }).dataSync()[0]);
    expect(rev).toBe(1);
    // Batched: one u per row.
    const two = tf.tidy(() =>
      Array.from(sampleLogits(tf.tensor2d([P.map(Math.log), [...P].reverse().map(Math.log)]), [0.05, 0.05], {}).dataSync()),
    );
    expect(two).toEqual([0, 0]);
  });
}

test('generate: same seed gives the same ids, another seed differs; EOS and stop strings end rows', async () => {
  await useBackend('cpu');
  const m = initLlama(tinyConfig(), 21, 0.5);
  const prompts = [[1, 3], [1]];
  const opts = { maxNewTokens: 12, temperature: 1, eosIds: [] };
  const a = await generate(m, prompts, { ...opts, seed: 1 });
  const b = await generate(m, prompts, { ...opts, seed: 1 });
  const c = await generate(m, prompts, { ...opts, seed: 2 });
  expect(a.ids).toEqual(b.ids);
  expect(c.ids).not.toEqual(a.ids);
  expect(a.finishReasons).toEqual(['length', 'length']);
  // EOS: make the third greedy token of row 0 an EOS id.
  const greedy = await generate(m, prompts, { maxNewTokens: 6, temperature: 0, eosIds: [] });
  const eosId = greedy.ids[0][2];
  const cut = greedy.ids[0].indexOf(eosId) + 1;
  const e = await generate(m, prompts, { maxNewTokens: 6, temperature: 0, eosIds: [eosId] });
  expect(e.ids[0]).toEqual(greedy.ids[0].slice(0, cut));
  expect(e.finishReasons[0]).toBe('stop');
  // Stop string over a toy decode (id → letter).
  const decode = (ids: number[]): string => ids.map((i) => String.fromCharCode(97 + i)).join('');
  const stopAt = decode([greedy.ids[1][1]]);
  const s = await generate(m, prompts, { maxNewTokens: 6, temperature: 0, eosIds: [], stop: [stopAt], decode });
  const firstStop = decode(greedy.ids[1]).indexOf(stopAt) + 1;
  expect(s.ids[1]).toEqual(greedy.ids[1].slice(0, firstStop));
  expect(s.finishReasons[1]).toBe('stop');
  m.dispose();
});

test('promptGroups: distinct prompts in first-seen order and the group of each row', () => {
  expect(promptGroups([[1, 2], [1, 2], [3], [1, 2], [3], [1]])).toEqual({ first: [0, 2, 5], of: [0, 0, 1, 0, 1, 2] });
  expect(
    promptGroups([
      [1, 2],
      [1, 2, 0],
    ]),
  ).toEqual({ first: [0, 1], of: [0, 1] });
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: groups of repeated prompts sample the same ids with the shared prefill as without`, async () => {
    await useBackend(backend);
    const m = initLlama(tinyConfig(), 5, 0.5);
    // Two groups of 3 samples with prompts of different lengths (left padding), plus a lone prompt.
    const prompts = [
      [1, 4, 5],
      [1, 4, 5],
      [1, 4, 5],
      [1, 7],
      [1, 7],
      [1, 7],
      [1, 9, 9, 9],
    ];
    const opts = { maxNewTokens: 7, temperature: 1, seed: 3, eosIds: [] };
    const plain = async () => {
      sampleSettings.sharePrefill = false;
      try {
        return await generate(m, prompts, opts);
      } finally {
        sampleSettings.sharePrefill = true;
      }
    };
    const before = tf.memory().numTensors;
    const fast = await generate(m, prompts, opts);
    expect(tf.memory().numTensors).toBe(before);
    const ref = await plain();
    expect(fast.ids).toEqual(ref.ids);
    // Members of a group sample different continuations (own u per row), so the copy is per row, not shared.
    expect(new Set(fast.ids.slice(0, 3).map((r) => r.join(','))).size).toBeGreaterThan(1);
    m.dispose();
  });
}
