// Causal self-attention of both families, as modules that own their weights.
// References: HF `modeling_llama.py` (LlamaAttention, repeat_kv, apply_rotary_pos_emb),
// `modeling_qwen3.py` (q_norm/k_norm on each head before RoPE), `modeling_gpt2.py` (GPT2Attention:
// fused c_attn split into q, k, v; no RoPE).
// Shapes: B batch, T query length, S key length, H query heads, nKV key/value heads, g = H / nKV,
// hd head width.
import * as tf from '@tensorflow/tfjs';
import type { LinearLike, RMSNorm } from './layers';
import { KV_CHUNK, usedSlots, writeChunks, type LayerKV } from './kvcache';
import { mm, opsSettings, permute } from './ops';

/** What an attention layer needs besides its input, shared by all layers of one call. */
export interface AttentionContext {
  B: number;
  T: number;
  /** RoPE tables [B, T, 1, hd] and the rotate_half matrix [hd, hd]; null for models without RoPE. */
  rope: { cos: tf.Tensor; sin: tf.Tensor; rot: tf.Tensor } | null;
  /** Additive mask tiled over the query groups. [B, 1, g*T, S], rows ordered (g, T) */
  maskG: tf.Tensor;
  /** This layer's cache and the slot to write this call's keys/values at (decoding); absent when training. */
  cache?: { kv: LayerKV; writePos: number };
}

/** HF rotary embedding: x·cos + rotate_half(x)·sin (rotate_half as a matMul by a fixed ±1 matrix unless switched off). [B, T, nh, hd] */
function applyRope(x: tf.Tensor, r: NonNullable<AttentionContext['rope']>): tf.Tensor {
  const hd = x.shape[x.rank - 1];
  let rx: tf.Tensor;
  if (opsSettings.rotateHalfAsMatMul) rx = tf.reshape(mm(tf.reshape(x, [-1, hd]), r.rot), x.shape);
  else {
    const [x1, x2] = tf.split(x, 2, -1);
    rx = tf.concat([tf.neg(x2), x1], -1);
  }
  return tf.add(tf.mul(x, r.cos), tf.mul(rx, r.sin));
}

/**
 * Scaled dot-product attention with grouped queries (query head h uses key/value head floor(h / g),
 * HF repeat_kv) and the KV cache. q [B, T, H, hd], k and v [B, T, nKV, hd] (RoPE already applied)
 * → merged heads [B, T, H*hd] and the updated cache entry.
 */
function attend(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  heads: { H: number; nKV: number; hd: number },
  ctx: AttentionContext,
): { o: tf.Tensor; kv?: LayerKV } {
  const { B, T } = ctx;
  const { H, nKV, hd } = heads;
  const g = H / nKV;
  let keys = permute(k, [0, 2, 3, 1]); // [B, nKV, hd, T]
  let values = permute(v, [0, 2, 1, 3]); // [B, nKV, T, hd]
  let kv: LayerKV | undefined;
  if (ctx.cache) {
    const { kv: old, writePos } = ctx.cache;
    kv = { k: writeChunks(old.k, keys as tf.Tensor4D, writePos, 3), v: writeChunks(old.v, values as tf.Tensor4D, writePos, 2) }; // rank casts: tfjs ops are typed Tensor<Rank>
    const used = usedSlots(writePos + T) / KV_CHUNK;
    keys = concatOrOnly(kv.k.slice(0, used), 3); // [B, nKV, hd, S]
    values = concatOrOnly(kv.v.slice(0, used), 2); // [B, nKV, S, hd]
  }
  // Group queries by their key/value head instead of repeating keys.
  const qg = tf.reshape(permute(tf.reshape(q, [B, T, nKV, g, hd]), [0, 2, 3, 1, 4]), [B, nKV, g * T, hd]);
  const scores = tf.mul(mm(qg, keys), 1 / Math.sqrt(hd)); // [B, nKV, g*T, S]
  const probs = tf.softmax(tf.add(scores, ctx.maskG)); // [B, nKV, g*T, S]
  const o = mm(probs, values); // [B, nKV, g*T, hd]
  return { o: tf.reshape(permute(tf.reshape(o, [B, nKV, g, T, hd]), [0, 3, 1, 2, 4]), [B, T, H * hd]), kv };
}

/** tf.concat, without a copy for a single tensor. */
function concatOrOnly(ts: tf.Tensor[], axis: number): tf.Tensor {
  return ts.length === 1 ? ts[0] : tf.concat(ts, axis);
}

/** Llama/Qwen2/Qwen3 attention: separate q/k/v/o projections, optional per-head q/k RMSNorm, RoPE. */
export class RopeAttention {
  constructor(
    public q: LinearLike,
    public k: LinearLike,
    public v: LinearLike,
    public o: LinearLike,
    /** Query heads, key/value heads, head width. */
    readonly heads: number,
    readonly kvHeads: number,
    readonly headDim: number,
    /** Qwen3's RMSNorm over each query / key head before RoPE ([hd] weights); null otherwise. */
    readonly qNorm: RMSNorm | null = null,
    readonly kNorm: RMSNorm | null = null,
  ) {}

  /** [B, T, D] → [B, T, D] and this layer's updated cache. */
  apply(x: tf.Tensor, ctx: AttentionContext): { out: tf.Tensor; kv?: LayerKV } {
    const { B, T } = ctx;
    let q = tf.reshape(this.q.apply(x), [B, T, this.heads, this.headDim]);
    let k = tf.reshape(this.k.apply(x), [B, T, this.kvHeads, this.headDim]);
    const v = tf.reshape(this.v.apply(x), [B, T, this.kvHeads, this.headDim]);
    if (this.qNorm) q = this.qNorm.apply(q);
    if (this.kNorm) k = this.kNorm.apply(k);
    if (ctx.rope) {
      q = applyRope(q, ctx.rope);
      k = applyRope(k, ctx.rope);
    }
    const { o, kv } = attend(q, k, v, { H: this.heads, nKV: this.kvHeads, hd: this.headDim }, ctx);
    return { out: this.o.apply(o), kv };
  }
}

/** GPT-2 attention: one fused projection c_attn → [q | k | v] (each D wide), output c_proj; no RoPE. */
export class FusedAttention {
  constructor(
    public cAttn: LinearLike,
    public cProj: LinearLike,
    /** Heads (keys and values have as many) and head width. */
    readonly heads: number,
    readonly headDim: number,
  ) {}

  /** [B, T, D] → [B, T, D] and this layer's updated cache. */
  apply(x: tf.Tensor, ctx: AttentionContext): { out: tf.Tensor; kv?: LayerKV } {
    const { B, T } = ctx;
    const shape = [B, T, this.heads, this.headDim];
    const [q, k, v] = tf.split(this.cAttn.apply(x), 3, -1).map((t) => tf.reshape(t, shape)); // 3 × [B, T, H, hd]
    const { o, kv } = attend(q, k, v, { H: this.heads, nKV: this.heads, hd: this.headDim }, ctx);
    return { out: this.cProj.apply(o), kv };
  }
}
