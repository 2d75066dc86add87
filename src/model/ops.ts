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
};

/** Additive mask value for a forbidden key (finite so a fully masked row cannot give NaN). */
export const MASKED = -1e9;

/** One-hot rows as float32 exactly 0/1 on every backend. [...S] → [...S, n] */
export function oneHotF32(ids: tf.Tensor, n: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(ids, 'int32'), n), 'float32'));
}

/** A 2-D tensor's [rows, cols]; throws for another rank. */
export function dims2(t: tf.Tensor): [number, number] {
  const [r, c] = t.shape;
  if (t.rank !== 2 || r === undefined || c === undefined) throw new RangeError(`expected a 2-D tensor, got shape [${t.shape.join(', ')}]`);
  return [r, c];
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

/**
 * x · wᵀ: x [N, q], w [p, q] → [N, p]. wasm packs a product's right operand, so multiplying by a fresh
 * transpose of a large weight pays for the copy and for packing it on every call; when the activations are
 * the smaller side this computes (w · xᵀ)ᵀ instead, transposing only them (a [D, V] = [576, 49152] table at
 * 128 rows: 1039 ms → 334 ms; scripts/profileStep.ts --transposed).
 */
export function mulTransposed(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const [N, q] = x.shape;
  const p = w.shape[0];
  if (2 * N * (p + q) < p * q) return tf.transpose(mm(w, tf.transpose(x)));
  return mm(x, tf.transpose(w));
}

function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/**
 * Embedding lookup with a gradient that works on wasm. ids int32 [...S], table [V, D] ('rows') or [D, V]
 * ('columns': a table tied to the output head) → [...S, D]. The table's gradient uses unsortedSegmentSum
 * where the backend has it, otherwise a one-hot matMul (O(N·V·D); fine for the small vocabularies Cherry
 * trains).
 */
export function embed(ids: tf.Tensor, table: tf.Tensor, layout: 'rows' | 'columns'): tf.Tensor {
  const cols = layout === 'columns';
  const [a, b] = dims2(table);
  const [V, D] = cols ? [b, a] : [a, b];
  const flat = tf.reshape(ids, [-1]);
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [t, save] = args;
    if (!(t instanceof tf.Tensor) || typeof save !== 'function') throw new TypeError('embed: bad customGrad arguments');
    save([flat]);
    return {
      value: cols ? tf.transpose(tf.gather(t, flat, 1)) : tf.gather(t, flat), // [N, D]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const idx = saved[0];
        if (hasKernel('UnsortedSegmentSum')) {
          const g = tf.unsortedSegmentSum(dy, tf.cast(idx, 'int32') as tf.Tensor1D, V); // [V, D] (rank cast: idx is the int32 [N] `flat`)
          return [cols ? tf.transpose(g) : g];
        }
        const oh = oneHotF32(idx, V); // [N, V]
        return [cols ? tf.matMul(tf.transpose(dy), oh) : tf.matMul(tf.transpose(oh), dy)];
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
