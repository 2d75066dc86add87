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
  /** true: `withWeightTransposes` keeps the transpose of each weight held [out, in] (a tied head) for the whole call; false: per use. */
  cacheWeightTransposes: true,
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
        const dx = ys.rank === 2 && dy.rank === 2 ? mulTransposed(dy, ys) : tf.matMul(dy, swapLast(ys));
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

/** Wᵀ of each weight seen inside `withWeightTransposes` (with the data it was made from); null outside it. */
let transposes: Map<tf.Tensor, { data: object; t: tf.Tensor }> | null = null;

/**
 * wᵀ: from the cache inside `withWeightTransposes`, else a fresh transpose. Never cached while a gradient
 * is being recorded (a cached copy would cut w off the tape) and remade when w's data changed (assign).
 * [out, in] → [in, out]
 */
export function transposed(w: tf.Tensor): tf.Tensor {
  if (transposes === null || tf.engine().state.gradientDepth > 0) return tf.transpose(w);
  const hit = transposes.get(w);
  if (hit !== undefined && hit.data === w.dataId) return hit.t;
  hit?.t.dispose();
  const t = tf.keep(tf.transpose(w));
  transposes.set(w, { data: w.dataId, t });
  return t;
}

/**
 * x · wᵀ: x [N, q], w [p, q] → [N, p]. wasm packs a product's right operand, so multiplying by a fresh
 * transpose of a large weight pays for the copy and for packing it on every call; when the activations are
 * the smaller side this computes (w · xᵀ)ᵀ instead, transposing only them (SmolLM2's tied head, 128 rows:
 * 1039 ms → 334 ms; scripts/profileStep.ts --transposed). Inside `withWeightTransposes` the kept wᵀ is used.
 */
export function mulTransposed(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const [N, q] = x.shape;
  const p = w.shape[0];
  const kept = transposes !== null && tf.engine().state.gradientDepth === 0;
  if (!kept && 2 * N * (p + q) < p * q) return tf.transpose(mm(w, tf.transpose(x)));
  return mm(x, transposed(w));
}

/**
 * Runs `f` with each weight held [out, in] (a head tied to the embedding table; every other weight is held
 * [in, out]) transposed once instead of once per call: a decoding loop calls the head once per token, and
 * wasm's transposed matMul is too slow to avoid the copy. The weights must not change inside `f` (no
 * training); the transposes are freed at the end.
 */
export async function withWeightTransposes<T>(f: () => Promise<T>): Promise<T> {
  if (transposes !== null || !opsSettings.cacheWeightTransposes) return f(); // nested: the outer scope owns the cache
  transposes = new Map();
  try {
    return await f();
  } finally {
    for (const e of transposes.values()) e.t.dispose();
    transposes = null;
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
