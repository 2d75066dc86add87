// The KV cache for batched decoding: per layer, keys and values preallocated to S slots
// ([B, nKV, S, hd]), S rounded up to a bucket so tensor sizes repeat across calls (WebGPU buffer pools
// are keyed by size and would otherwise grow). Rows are LEFT-padded: every row writes slot `pos` at
// the same step; row b's real tokens start at slot leftPad[b] and its RoPE position is slot - leftPad[b].
import * as tf from '@tensorflow/tfjs';
import type { LlamaConfig } from '../schema/modelConfig';
import { MASKED, type LayerKV } from './llama';

/** Smallest bucket (a power of two, at least 32) holding n slots. */
export function cacheBucket(n: number): number {
  let s = 32;
  while (s < n) s *= 2;
  return s;
}

export class KVCache {
  /** Keys/values of each layer. [B, nKV, S, hd] */
  layers: LayerKV[];

  /**
   * Zero-filled cache for B rows of S slots (or the given layers, which it takes over). `leftPad[b]` =
   * pad slots before row b's first token.
   */
  constructor(
    config: LlamaConfig,
    readonly slots: number,
    readonly leftPad: number[],
    layers?: LayerKV[],
  ) {
    const shape: [number, number, number, number] = [leftPad.length, config.numKVHeads, slots, config.headDim];
    this.layers = layers ?? Array.from({ length: config.numLayers }, () => ({ k: tf.zeros(shape), v: tf.zeros(shape) }));
  }

  /**
   * A new cache whose row i is a copy of this cache's row rows[i] (several rows may copy one: a prompt
   * prefilled once for a group of samples). This cache is left as it was. [B', nKV, S, hd] per layer
   */
  expand(config: LlamaConfig, rows: number[]): KVCache {
    const layers = tf.tidy(() => {
      const idx = tf.tensor1d(rows, 'int32');
      return this.layers.map((l) => ({ k: tf.gather(l.k, idx), v: tf.gather(l.v, idx) }));
    });
    return new KVCache(
      config,
      this.slots,
      rows.map((r) => this.leftPad[r]),
      layers,
    );
  }

  /** Replaces the layers by newer ones (from Llama.stack) and frees the old. */
  update(layers: LayerKV[]): void {
    const old = this.layers;
    this.layers = layers;
    for (const l of old) {
      l.k.dispose();
      l.v.dispose();
    }
  }

  /** RoPE positions of T tokens written at slots [pos, pos+T). B rows of T numbers. */
  positions(pos: number, T: number): number[][] {
    return this.leftPad.map((lp) => Array.from({ length: T }, (_, t) => Math.max(0, pos + t - lp)));
  }

  /**
   * Additive mask for T queries at slots [pos, pos+T): query at slot q sees slot s when
   * leftPad[b] <= s <= q (and always itself, so a pad query stays finite). → [B, 1, T, S]
   */
  mask(pos: number, T: number): tf.Tensor4D {
    const B = this.leftPad.length;
    const S = this.slots;
    const m = new Float32Array(B * T * S).fill(MASKED);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const q = pos + t;
        const row = (b * T + t) * S;
        for (let s = this.leftPad[b]; s <= q; s++) m[row + s] = 0;
        m[row + q] = 0;
      }
    }
    return tf.tensor4d(m, [B, 1, T, S]);
  }

  dispose(): void {
    for (const l of this.layers) {
      l.k.dispose();
      l.v.dispose();
    }
    this.layers = [];
  }
}
