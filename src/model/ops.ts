// Small tensor ops with hand-written gradients that work (and run fast) on every tfjs backend.
// Why (measured facts in DESIGN.md):
//  - the wasm backend has no UnsortedSegmentSum kernel, so tfjs's gradient of `gather` (an embedding
//    lookup) throws there: `embed` computes the table gradient as oneHot(ids)^T · dy with a matMul;
//  - `tf.oneHot(x, n, 1, 0, 'float32')` returns denormals on wasm: `oneHotF32` casts an int32 one-hot;
//  - wasm matMul with transposeA/transposeB is ~10x slower than without, and tfjs's built-in matMul
//    gradient uses exactly those: `mm` does explicit transposes in its gradient instead.
import * as tf from '@tensorflow/tfjs';

/** Switches for benchmarks (scripts/benchModel.ts) comparing the workarounds with tfjs's defaults. */
export const opsSettings = {
  /** true: `mm` uses the explicit-transpose gradient below; false: tfjs's built-in matMul gradient. */
  explicitTransposeGrad: true,
  /** true: rotate_half as a matMul by a fixed ±1 matrix; false: tfjs split + neg + concat. */
  rotateHalfAsMatMul: true,
  /** true: `withInferenceWeights` keeps derived weights (a tied head's transpose, fused q|k|v and gate|up) for the whole call; false: no fusion, transpose per use. */
  cacheInferenceWeights: true,
  /** true: inside `withInferenceWeights`, q|k|v and gate|up run as one product each (layers.ts fusedApply); false: one per layer. */
  fuseProjections: true,
};

/** Additive mask value for a forbidden key (finite so a fully masked row cannot give NaN). */
export const MASKED = -1e9;

/** One-hot rows as float32 exactly 0/1 on every backend. [...S] → [...S, n] */
export function oneHotF32(ids: tf.Tensor, n: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(ids, 'int32'), n), 'float32'));
}

/** Swaps the last two axes. */
function swapLast(x: tf.Tensor): tf.Tensor {
  const r = x.rank;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(x, perm);
}

/**
 * Batched matrix product a · b (same batch dims, or b 2-D) with a gradient that uses only
 * untransposed matMuls: da = dy · bᵀ, db = aᵀ · dy (transposes done as separate ops).
 */
export function mm(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  // No gradient being recorded (sampling): the plain kernel, without customGrad's scope around it.
  if (!opsSettings.explicitTransposeGrad || tf.engine().state.gradientDepth === 0) return tf.matMul(a, b);
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, y, save] = args;
    if (!(x instanceof tf.Tensor) || !(y instanceof tf.Tensor) || typeof save !== 'function')
      throw new TypeError('mm: bad customGrad arguments');
    save([x, y]);
    return {
      value: tf.matMul(x, y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ys] = saved;
        const dx = tf.matMul(dy, swapLast(ys));
        if (ys.rank === 2 && xs.rank > 2) {
          // y is shared across the batch: flatten the batch into rows.
          const k = xs.shape[xs.rank - 1];
          const n = dy.shape[dy.rank - 1];
          const x2 = tf.reshape(xs, [-1, k]);
          const dy2 = tf.reshape(dy, [-1, n]);
          return [dx, tf.matMul(tf.transpose(x2), dy2)];
        }
        return [dx, tf.matMul(swapLast(xs), dy)];
      },
    };
  });
  return f(a, b);
}

/**
 * tf.transpose(x, perm), or a free reshape when the permutation only moves axes of size 1 (T = 1 while
 * decoding): the data order is then unchanged.
 */
export function permute(x: tf.Tensor, perm: number[]): tf.Tensor {
  const moved = perm.filter((a) => x.shape[a] !== 1);
  const inOrder = moved.every((a, i) => i === 0 || moved[i - 1] < a);
  return inOrder
    ? tf.reshape(
        x,
        perm.map((a) => x.shape[a]),
      )
    : tf.transpose(x, perm);
}

/** Tensors derived from weights (a transpose, a concatenation) with the data they were made from; null outside `withInferenceWeights`. */
let derived: Map<string, { data: object[]; t: tf.Tensor }> | null = null;

/** True inside `withInferenceWeights` while no gradient is recorded: derived weights are cached for the whole call. */
export function inInference(): boolean {
  return derived !== null && tf.engine().state.gradientDepth === 0;
}

/**
 * make(): once per call of `withInferenceWeights` for the same sources (remade when a source's data
 * changed, e.g. by assign), else every time. Never cached while a gradient is recorded (a cached copy
 * would cut the sources off the tape).
 */
function derive(kind: string, sources: tf.Tensor[], make: () => tf.Tensor): tf.Tensor {
  if (derived === null || !inInference()) return make();
  const key = `${kind}:${sources.map((s) => s.id).join(',')}`;
  const hit = derived.get(key);
  if (hit !== undefined && hit.data.every((d, i) => d === sources[i].dataId)) return hit.t;
  hit?.t.dispose();
  const t = tf.keep(make());
  derived.set(key, { data: sources.map((s) => s.dataId), t });
  return t;
}

/** wᵀ, cached inside `withInferenceWeights` (a tied output head [V, D] → [D, V]). */
export function transposed(w: tf.Tensor): tf.Tensor {
  return derive('T', [w], () => tf.transpose(w));
}

/** tf.concat(ws, axis), cached inside `withInferenceWeights` (fused projections: q|k|v, gate|up). */
export function concatenated(ws: tf.Tensor[], axis: number): tf.Tensor {
  return derive(`C${axis}`, ws, () => tf.concat(ws, axis));
}

/**
 * Runs `f` with derived weights made once instead of once per use: a decoding loop calls each layer once
 * per token. The weights must not change inside `f` (no training); the derived tensors (a copy of the
 * weights involved) are freed at the end.
 */
export async function withInferenceWeights<T>(f: () => Promise<T>): Promise<T> {
  if (derived !== null || !opsSettings.cacheInferenceWeights) return f(); // nested: the outer scope owns the cache
  derived = new Map();
  try {
    return await f();
  } finally {
    for (const e of derived.values()) e.t.dispose();
    derived = null;
  }
}

function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/**
 * Embedding lookup table[ids] with a gradient that works on wasm. ids int32 [...S], table [V, D]
 * → [...S, D]. The gradient w.r.t. the table uses unsortedSegmentSum where the backend has it,
 * otherwise oneHot(ids)ᵀ · dy (O(N·V·D); fine for the small vocabularies Cherry trains).
 */
export function embed(ids: tf.Tensor, table: tf.Tensor): tf.Tensor {
  const [V, D] = table.shape;
  const flat = tf.reshape(ids, [-1]);
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [t, save] = args;
    if (!(t instanceof tf.Tensor) || typeof save !== 'function') throw new TypeError('embed: bad customGrad arguments');
    save([flat]);
    return {
      value: tf.gather(t, flat),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const idx = saved[0];
        if (hasKernel('UnsortedSegmentSum')) return [tf.unsortedSegmentSum(dy, tf.cast(idx, 'int32') as tf.Tensor1D, V)]; // rank cast: idx is the int32 [N] `flat`
        const oh = tf.transpose(oneHotF32(idx, V)); // [V, N]
        return [tf.matMul(oh, dy)];
      },
    };
  });
  return tf.reshape(f(table), [...ids.shape, D]);
}

/**
 * The fixed ±1 matrix R with x · R = rotate_half(x) = concat(-x[h:], x[:h]) (HF convention), so
 * rotary embedding needs no split/concat (slow on wasm). [hd, hd]
 */
export function rotateHalfMatrix(hd: number): tf.Tensor2D {
  const h = hd / 2;
  const r = new Float32Array(hd * hd);
  for (let j = 0; j < h; j++) r[(j + h) * hd + j] = -1; // out[j] = -x[j+h]
  for (let j = h; j < hd; j++) r[(j - h) * hd + j] = 1; // out[j] = x[j-h]
  return tf.tensor2d(r, [hd, hd]);
}
