// The KV cache for batched decoding: per layer, keys and values in chunks of KV_CHUNK slots, so a decoding
// step rewrites one chunk (not the whole cache) and attends over the chunks written so far (not a
// preallocated maximum). Shapes repeat across calls (a chunk, and multiples of it), which WebGPU's
// buffer pools and shader caches need. Keys are stored transposed ([hd, slots]) so attention multiplies
// them without a transpose per step. Rows are LEFT-padded: every row writes slot `pos` at the same step;
// row b's real tokens start at slot leftPad[b] and its RoPE position is slot - leftPad[b].
import * as tf from '@tensorflow/tfjs';
import type { LlamaConfig } from '../schema/modelConfig';
import { MASKED } from './ops';

/** The cached keys and values of one layer, in chunks of KV_CHUNK slots. Keys [B, nKV, hd, C], values [B, nKV, C, hd] */
export interface LayerKV {
  k: tf.Tensor4D[];
  v: tf.Tensor4D[];
}

/** Slots per chunk. */
export const KV_CHUNK = 32;

/** Slots attention looks at once slots [0, end) are written: whole chunks. */
export function usedSlots(end: number): number {
  return Math.ceil(end / KV_CHUNK) * KV_CHUNK;
}

/**
 * `chunks` (each KV_CHUNK slots along `axis`) with slots [pos, pos+T) set to `fresh` (T slots along `axis`),
 * adding chunks as needed. Each slot is written once, so a written chunk is its old value plus `fresh`
 * padded with zeros. Chunks not touched are returned as they are (same tensors).
 */
export function writeChunks(chunks: readonly tf.Tensor4D[], fresh: tf.Tensor4D, pos: number, axis: 2 | 3): tf.Tensor4D[] {
  const T = fresh.shape[axis];
  const out = chunks.slice();
  for (let c = Math.floor(pos / KV_CHUNK); c * KV_CHUNK < pos + T; c++) {
    const lo = Math.max(pos, c * KV_CHUNK);
    const hi = Math.min(pos + T, (c + 1) * KV_CHUNK);
    const begin = [0, 0, 0, 0];
    const size = [-1, -1, -1, -1];
    begin[axis] = lo - pos;
    size[axis] = hi - lo;
    const piece = lo === pos && hi === pos + T ? fresh : tf.slice(fresh, begin, size);
    const pads: Array<[number, number]> = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
    pads[axis] = [lo - c * KV_CHUNK, (c + 1) * KV_CHUNK - hi];
    const padded = tf.pad(piece, pads) as tf.Tensor4D; // rank cast: tfjs ops are typed Tensor<Rank>
    out[c] = out[c] === undefined ? padded : (tf.add(out[c], padded) as tf.Tensor4D); // rank cast, as above
  }
  return out;
}

export class KVCache {
  /** Keys (chunks [B, nKV, hd, KV_CHUNK]) and values (chunks [B, nKV, KV_CHUNK, hd]) of each layer. */
  layers: LayerKV[];

  /** An empty cache for B rows (or the given layers, which it takes over). `leftPad[b]` = pad slots before row b's first token. */
  constructor(
    config: LlamaConfig,
    readonly leftPad: number[],
    layers?: LayerKV[],
  ) {
    this.layers = layers ?? Array.from({ length: config.numLayers }, () => ({ k: [], v: [] }));
  }

  /**
   * A new cache whose row i is a copy of this cache's row rows[i] (several rows may copy one: a prompt
   * prefilled once for a group of samples). This cache is left as it was.
   */
  expand(config: LlamaConfig, rows: number[]): KVCache {
    const layers = tf.tidy(() => {
      const idx = tf.tensor1d(rows, 'int32');
      return this.layers.map((l) => ({ k: l.k.map((c) => tf.gather(c, idx)), v: l.v.map((c) => tf.gather(c, idx)) }));
    });
    return new KVCache(
      config,
      rows.map((r) => this.leftPad[r]),
      layers,
    );
  }

  /** Replaces the layers by newer ones (from Llama.stack; kept here, so this may run inside tf.tidy) and frees the chunks no longer used. */
  update(layers: LayerKV[]): void {
    const live = new Set(layers.flatMap((l) => [...l.k, ...l.v]));
    for (const t of live) tf.keep(t);
    for (const l of this.layers) for (const t of [...l.k, ...l.v]) if (!live.has(t)) t.dispose();
    this.layers = layers;
  }

  /** RoPE positions of T tokens written at slots [pos, pos+T). B rows of T numbers. */
  positions(pos: number, T: number): number[][] {
    return this.leftPad.map((lp) => Array.from({ length: T }, (_, t) => Math.max(0, pos + t - lp)));
  }

  /**
   * Additive mask for T queries at slots [pos, pos+T) over the slots attention sees after the write:
   * query at slot q sees slot s when leftPad[b] <= s <= q (and always itself, so a pad query stays
   * finite). → [B, 1, T, usedSlots(pos + T)]
   */
  mask(pos: number, T: number): tf.Tensor4D {
    const B = this.leftPad.length;
    const S = usedSlots(pos + T);
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
    for (const l of this.layers) tf.dispose([...l.k, ...l.v]);
    this.layers = [];
  }
}
