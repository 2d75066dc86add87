// KV-cache decoding against the full forward pass, and batched (left-padded) decoding against
// decoding each prompt alone.
import { test, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { generate, initLlama } from '../../src/model';
import { KVCache } from '../../src/model/kvcache';
import type { Llama } from '../../src/model';
import { tinyConfig, useBackend } from './helpers';

/** Logits of every position of `seq` decoded one token at a time through the cache (prefill `pre`). */
async function cachedLogits(m: Llama, rows: number[][], leftPad: number[], pre: number): Promise<number[][][]> {
  const T = rows[0].length;
  const cache = new KVCache(m.config, 64, leftPad);
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
      cache.update(r.kv.map((l) => ({ k: tf.keep(l.k), v: tf.keep(l.v) })));
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
  test(`${backend}: cached decoding of 20 steps equals the full forward (logits within 1e-4), padded rows included`, async () => {
    await useBackend(backend);
    const m = initLlama(tinyConfig({ attentionBias: true, tieWordEmbeddings: true }), 7, 0.3);
    // Bias params start at 0: give them values so they matter.
    for (const [n, v] of m.params) if (n.endsWith('.bias')) v.assign(tf.randomNormal(v.shape, 0, 0.3, 'float32', 3));
    const a = [1, 5, 9, 3, 4, 17, 8, 8, 2, 11, 6, 13, 21, 0, 7, 7, 19, 12, 3, 5, 10, 14, 15, 16];
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

test("expand copies rows (several rows may copy one) and keeps each row's left padding", async () => {
  await useBackend('cpu');
  const cfg = tinyConfig({ numLayers: 1 });
  const k = tf.tensor4d(
    Array.from({ length: 2 * 2 * 4 * 4 }, (_, i) => i),
    [2, 2, 4, 4],
  ); // [B 2, nKV 2, S 4, hd 4]
  const src = new KVCache(cfg, 4, [0, 3], [{ k, v: tf.neg(k) }]);
  const e = src.expand(cfg, [1, 0, 1]);
  expect(e.leftPad).toEqual([3, 0, 3]);
  const rowOf = (t: tf.Tensor, b: number): number[] => Array.from(t.dataSync().slice(b * 32, (b + 1) * 32));
  expect(rowOf(e.layers[0].k, 0)).toEqual(Array.from({ length: 32 }, (_, i) => 32 + i));
  expect(rowOf(e.layers[0].k, 1)).toEqual(Array.from({ length: 32 }, (_, i) => i));
  expect(rowOf(e.layers[0].v, 2)).toEqual(Array.from({ length: 32 }, (_, i) => -(32 + i)));
  expect(rowOf(src.layers[0].k, 1)).toEqual(Array.from({ length: 32 }, (_, i) => 32 + i)); // source untouched
  src.dispose();
  e.dispose();
});
