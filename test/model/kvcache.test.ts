// KV-cache decoding against the full forward pass, and batched (left-padded) decoding against
// decoding each prompt alone.
import { test, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { generate, initLlama } from '../../src/model';
import { KV_CHUNK, KVCache, usedSlots, writeChunks } from '../../src/model/kvcache';
import type { Llama } from '../../src/model';
import { tinyConfig, useBackend } from './helpers';

/** Logits of every position of `seq` decoded one token at a time through the cache (prefill `pre`). */
async function cachedLogits(m: Llama, rows: number[][], leftPad: number[], pre: number): Promise<number[][][]> {
  const T = rows[0].length;
  const cache = new KVCache(m.config, leftPad);
  const out: number[][][] = rows.map(() => []);
  for (let pos = 0; pos < T;) {
    const n = pos === 0 ? pre : 1;
    const ids = rows.map((r) => r.slice(pos, pos + n));
    const logits = tf.tidy(() => {
      const r = m.stack({
        ids: tf.tensor2d(ids, undefined, 'int32'),
        positions: cache.positions(pos, n),
        mask: cache.mask(pos, n),
        cache: { layers: cache.layers, writePos: pos },
      });
      cache.update(r.kv);
      return m.logits(r.h);
    });
    const arr = (await logits.array()) as number[][][]; // rank cast: logits is [B, T, V]
    logits.dispose();
    arr.forEach((rowLogits, b) => out[b].push(...rowLogits));
    pos += n;
  }
  cache.dispose();
  return out;
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((r, i) =>
    r.forEach((v, j) => {
      m = Math.max(m, Math.abs(v - b[i][j]));
    }),
  );
  return m;
}

for (const backend of ['cpu', 'wasm'] as const) {
  test(`${backend}: cached decoding of 36 steps (across a chunk boundary) equals the full forward (logits within 1e-4), padded rows included`, async () => {
    await useBackend(backend);
    const m = initLlama(tinyConfig({ attentionBias: true, tieWordEmbeddings: true }), 7, 0.3);
    // Bias params start at 0: give them values so they matter.
    for (const [n, v] of m.params) if (n.endsWith('.bias')) v.assign(tf.randomNormal(v.shape, 0, 0.3, 'float32', 3));
    const a24 = [1, 5, 9, 3, 4, 17, 8, 8, 2, 11, 6, 13, 21, 0, 7, 7, 19, 12, 3, 5, 10, 14, 15, 16];
    const a = [...a24, ...a24.slice(0, 16).map((x) => (x * 3) % 23)]; // 40 tokens: past the first chunk of KV_CHUNK slots
    const b = a.slice(3).map((x) => (x * 5) % 23);
    const padB = a.length - b.length;
    const rows = [a, [...Array<number>(padB).fill(0), ...b]];
    const got = await cachedLogits(m, rows, [0, padB], 4);
    const fullA = (await tf.tidy(() => m.forward([a])).array())[0];
    const fullB = (await tf.tidy(() => m.forward([b])).array())[0];
    expect(maxAbsDiff(got[0], fullA)).toBeLessThan(1e-4);
    expect(maxAbsDiff(got[1].slice(padB), fullB)).toBeLessThan(1e-4);
    // The same left-padded batch through forward() with an attention mask.
    const am = [a.map(() => 1), rows[1].map((_, t) => (t < padB ? 0 : 1))];
    const fullPadded = (await tf.tidy(() => m.forward(rows, { attentionMask: am })).array())[1];
    expect(maxAbsDiff(fullPadded.slice(padB), fullB)).toBeLessThan(1e-4);
    m.dispose();
  });

  test(`${backend}: batched greedy decode of different-length prompts equals decoding each alone, with and without cache`, async () => {
    await useBackend(backend);
    const m = initLlama(tinyConfig(), 11, 0.4);
    const prompts = [[1, 5, 7], [1], [1, 2, 3, 4, 5, 6, 9], [1, 22]];
    const opts = { maxNewTokens: 18, temperature: 0, eosIds: [] };
    const batched = await generate(m, prompts, opts);
    const noCache = await generate(m, prompts, { ...opts, useKVCache: false });
    for (let i = 0; i < prompts.length; i++) {
      const alone = await generate(m, [prompts[i]], opts);
      expect(batched.ids[i]).toEqual(alone.ids[0]);
      expect(batched.ids[i]).toHaveLength(18);
    }
    expect(noCache.ids).toEqual(batched.ids);
    // Not a degenerate model: rows do not all produce one repeated id.
    expect(new Set(batched.ids.flat()).size).toBeGreaterThan(3);
    m.dispose();
  });
}

test("expand copies rows of every chunk (several rows may copy one) and keeps each row's left padding", async () => {
  await useBackend('cpu');
  const cfg = tinyConfig({ numLayers: 1 });
  const k = tf.tensor4d(
    Array.from({ length: 2 * 2 * 4 * 4 }, (_, i) => i),
    [2, 2, 4, 4],
  ); // [B 2, nKV 2, 4, 4]: two rows of 32 numbers
  const src = new KVCache(cfg, [0, 3], [{ k: [k, tf.mul(k, 10)], v: [tf.neg(k)] }]);
  const e = src.expand(cfg, [1, 0, 1]);
  expect(e.leftPad).toEqual([3, 0, 3]);
  const rowOf = (t: tf.Tensor, b: number): number[] => Array.from(t.dataSync().slice(b * 32, (b + 1) * 32));
  const row = (b: number, f = 1): number[] => Array.from({ length: 32 }, (_, i) => f * (32 * b + i));
  expect(rowOf(e.layers[0].k[0], 0)).toEqual(row(1));
  expect(rowOf(e.layers[0].k[0], 1)).toEqual(row(0));
  expect(rowOf(e.layers[0].k[1], 2)).toEqual(row(1, 10));
  expect(rowOf(e.layers[0].v[0], 2)).toEqual(row(1, -1));
  expect(rowOf(src.layers[0].k[0], 1)).toEqual(row(1)); // source untouched
  src.dispose();
  e.dispose();
});

test('writeChunks: a write across a chunk boundary lands in both chunks, zeros elsewhere; untouched chunks are the same tensors', async () => {
  await useBackend('cpu');
  const C = KV_CHUNK;
  const first = tf.fill([1, 1, 1, C], 7) as tf.Tensor4D; // chunk 0, already written
  const fresh = tf.tensor4d([1, 2, 3], [1, 1, 1, 3]); // slots C-1, C, C+1 along axis 3
  // Slot C-1 of chunk 0 must be zero before the write: clear it as the cache would have it.
  const chunk0 = tf.mul(
    first,
    tf.tensor4d(
      Array.from({ length: C }, (_, s) => (s === C - 1 ? 0 : 1)),
      [1, 1, 1, C],
    ),
  ) as tf.Tensor4D;
  const out = writeChunks([chunk0], fresh, C - 1, 3);
  expect(out).toHaveLength(2);
  const c0 = Array.from(out[0].dataSync());
  expect(c0.slice(0, C - 1).every((x) => x === 7)).toBe(true);
  expect(c0[C - 1]).toBe(1);
  expect(Array.from(out[1].dataSync())).toEqual([2, 3, ...Array<number>(C - 2).fill(0)]);
  const again = writeChunks(out, tf.tensor4d([9], [1, 1, 1, 1]), C + 2, 3);
  expect(again[0]).toBe(out[0]);
  expect(Array.from(again[1].dataSync()).slice(0, 4)).toEqual([2, 3, 9, 0]);
  expect(usedSlots(C + 3)).toBe(2 * C);
  expect(usedSlots(C)).toBe(C);
});
