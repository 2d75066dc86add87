// A Llama-family decoder on tfjs, read top to bottom like nanoGPT's model.py.
// References: Hugging Face transformers `modeling_llama.py` (names, rotate_half RoPE, GQA via
// repeat_kv, RMSNorm), `modeling_qwen2.py` (q/k/v bias), Karpathy's llama2.c `run.c`.
// Shapes: B batch, T query length, S key length, D hidden, H query heads, nKV key/value heads,
// g = H / nKV queries per key/value head, hd head width, V vocabulary.
//
// Padding: sequences may be padded on either side; pass `attentionMask` (1 = real token, 0 = pad).
// Positions count real tokens only (position of a token = number of real tokens before it), and no
// real token attends to a pad, so a left-padded row gives the same logits as the row alone.
// Logits at pad positions are meaningless: mask them out of any loss.
import * as tf from '@tensorflow/tfjs';
import type { LlamaConfig } from './config';
import { embed, linear, mm, opsSettings, rotateHalfMatrix } from './ops';

/** Additive mask value for a forbidden key (finite so a fully masked row cannot give NaN). */
export const MASKED = -1e9;

/** The cached keys and values of one layer, preallocated to S slots. [B, nKV, S, hd] each */
export interface LayerKV {
  k: tf.Tensor4D;
  v: tf.Tensor4D;
}

/** What one call of the decoder stack needs besides the token ids. */
export interface StackInputs {
  /** int32 token ids. [B, T] */
  ids: tf.Tensor2D;
  /** RoPE position of each token. B rows of T numbers. */
  positions: number[][];
  /** Additive attention mask: 0 where query t may see key s, MASKED elsewhere. [B, 1, T, S] */
  mask: tf.Tensor4D;
  /** KV cache to write this call's keys/values into at slot `writePos` (decoding); absent for training. */
  cache?: { layers: LayerKV[]; writePos: number };
}

export class Llama {
  /** rotate_half as a fixed matrix. [hd, hd] */
  private readonly rot: tf.Tensor2D;

  /** `params` holds every weight under its Hugging Face name; the model takes ownership. */
  constructor(readonly config: LlamaConfig, readonly params: Map<string, tf.Variable>) {
    this.rot = rotateHalfMatrix(config.headDim);
  }

  /** A weight by HF name; throws naming the tensor if absent. */
  p(name: string): tf.Variable {
    const v = this.params.get(name);
    if (v === undefined) throw new Error(`Llama: missing parameter "${name}"`);
    return v;
  }

  /** Total number of scalar parameters. */
  paramCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /** The output head [V, D]: the embedding table when tied. */
  headWeight(): tf.Variable {
    return this.config.tieWordEmbeddings ? this.p('model.embed_tokens.weight') : this.p('lm_head.weight');
  }

  /**
   * Training forward: logits for every position. ids: B rows of T token ids (all rows the same
   * length: pad them and pass `attentionMask`, 1 = real token). → [B, T, V]. Call inside tf.tidy or
   * tf.grad; the caller disposes the result.
   */
  forward(ids: number[][], opts: { attentionMask?: number[][] } = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const { positions, mask } = trainingMask(ids, opts.attentionMask);
      const h = this.stack({ ids: tf.tensor2d(ids, undefined, 'int32'), positions, mask }).h;
      return this.logits(h);
    });
  }

  /** Final RMSNorm and output head. [B, T, D] → [B, T, V] */
  logits(h: tf.Tensor3D): tf.Tensor3D {
    return linear(this.rmsNorm(h, this.p('model.norm.weight')), this.headWeight()) as tf.Tensor3D; // rank cast: tfjs ops are typed Tensor<Rank>
  }

  /** Embedding and all decoder blocks, without the final norm. Returns h [B, T, D] and updated caches. */
  stack(inp: StackInputs): { h: tf.Tensor3D; kv: LayerKV[] } {
    const c = this.config;
    const [B, T] = inp.ids.shape;
    const g = c.numHeads / c.numKVHeads;
    const { cos, sin } = ropeTables(inp.positions, c.headDim, c.ropeTheta); // [B, T, 1, hd]
    const maskG = g > 1 ? tf.tile(inp.mask, [1, 1, g, 1]) : inp.mask; // [B, 1, g*T, S], rows ordered (g, T)
    let x = embed(inp.ids, this.p('model.embed_tokens.weight')) as tf.Tensor3D; // [B, T, D] (rank cast: tfjs ops are typed Tensor<Rank>)
    const kv: LayerKV[] = [];
    for (let i = 0; i < c.numLayers; i++) {
      const pre = `model.layers.${i}.`;
      const a = this.attention(pre, this.rmsNorm(x, this.p(pre + 'input_layernorm.weight')), cos, sin, maskG, B, T,
        inp.cache ? { kv: inp.cache.layers[i], writePos: inp.cache.writePos } : undefined);
      if (a.kv) kv.push(a.kv);
      x = tf.add(x, a.out);
      x = tf.add(x, this.mlp(pre, this.rmsNorm(x, this.p(pre + 'post_attention_layernorm.weight'))));
    }
    return { h: x, kv };
  }

  /** RMSNorm: x / sqrt(mean(x²) + eps) · w. [..., D] */
  private rmsNorm(x: tf.Tensor, w: tf.Tensor): tf.Tensor3D {
    const ms = tf.mean(tf.square(x), -1, true);
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, this.config.rmsNormEps))), w) as tf.Tensor3D; // rank cast: tfjs ops are typed Tensor<Rank>
  }

  /** HF rotary embedding: x·cos + rotate_half(x)·sin. [B, T, nh, hd] */
  private rope(x: tf.Tensor, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor {
    const hd = this.config.headDim;
    let rx: tf.Tensor;
    if (opsSettings.rotateHalfAsMatMul) rx = tf.reshape(mm(tf.reshape(x, [-1, hd]), this.rot), x.shape);
    else {
      const [x1, x2] = tf.split(x, 2, -1);
      rx = tf.concat([tf.neg(x2), x1], -1);
    }
    return tf.add(tf.mul(x, cos), tf.mul(rx, sin));
  }

  private attention(pre: string, x: tf.Tensor3D, cos: tf.Tensor, sin: tf.Tensor, maskG: tf.Tensor, B: number, T: number,
    cache?: { kv: LayerKV; writePos: number }): { out: tf.Tensor; kv?: LayerKV } {
    const c = this.config;
    const hd = c.headDim;
    const nKV = c.numKVHeads;
    const g = c.numHeads / nKV;
    const bias = (n: string): tf.Variable | undefined => (c.attentionBias ? this.p(pre + `self_attn.${n}_proj.bias`) : undefined);
    let q = tf.reshape(linear(x, this.p(pre + 'self_attn.q_proj.weight'), bias('q')), [B, T, c.numHeads, hd]);
    let k = tf.reshape(linear(x, this.p(pre + 'self_attn.k_proj.weight'), bias('k')), [B, T, nKV, hd]);
    const v0 = tf.reshape(linear(x, this.p(pre + 'self_attn.v_proj.weight'), bias('v')), [B, T, nKV, hd]);
    q = this.rope(q, cos, sin);
    k = this.rope(k, cos, sin);
    let kT = tf.transpose(k, [0, 2, 1, 3]) as tf.Tensor4D; // [B, nKV, T, hd] (rank cast: tfjs ops are typed Tensor<Rank>)
    let vT = tf.transpose(v0, [0, 2, 1, 3]) as tf.Tensor4D; // [B, nKV, T, hd] (rank cast: tfjs ops are typed Tensor<Rank>)
    let kv: LayerKV | undefined;
    if (cache) {
      kT = writeSlots(cache.kv.k, kT, cache.writePos); // [B, nKV, S, hd]
      vT = writeSlots(cache.kv.v, vT, cache.writePos);
      kv = { k: kT, v: vT };
    }
    // Query head h uses key/value head floor(h / g) (HF repeat_kv): group queries instead of repeating keys.
    const qg = tf.reshape(tf.transpose(tf.reshape(q, [B, T, nKV, g, hd]), [0, 2, 3, 1, 4]), [B, nKV, g * T, hd]);
    const scores = tf.mul(mm(qg, tf.transpose(kT, [0, 1, 3, 2])), 1 / Math.sqrt(hd)); // [B, nKV, g*T, S]
    const probs = tf.softmax(tf.add(scores, maskG)); // [B, nKV, g*T, S]
    const o = mm(probs, vT); // [B, nKV, g*T, hd]
    const merged = tf.reshape(tf.transpose(tf.reshape(o, [B, nKV, g, T, hd]), [0, 3, 1, 2, 4]), [B, T, c.numHeads * hd]);
    return { out: linear(merged, this.p(pre + 'self_attn.o_proj.weight')), kv };
  }

  /** SwiGLU: down(silu(gate(x)) · up(x)). [B, T, D] */
  private mlp(pre: string, x: tf.Tensor): tf.Tensor {
    const gate = linear(x, this.p(pre + 'mlp.gate_proj.weight'));
    const up = linear(x, this.p(pre + 'mlp.up_proj.weight'));
    const act = tf.mul(tf.mul(gate, tf.sigmoid(gate)), up);
    return linear(act, this.p(pre + 'mlp.down_proj.weight'));
  }

  /** Frees every weight. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
    this.rot.dispose();
  }
}

/** cache with slots [pos, pos+T) replaced by `fresh`; shapes stay fixed. [B, nKV, S, hd] */
function writeSlots(cache: tf.Tensor4D, fresh: tf.Tensor4D, pos: number): tf.Tensor4D {
  const S = cache.shape[2];
  const T = fresh.shape[2];
  const keep = new Float32Array(S).fill(1);
  keep.fill(0, pos, pos + T);
  const padded = tf.pad(fresh, [[0, 0], [0, 0], [pos, S - pos - T], [0, 0]]);
  return tf.add(tf.mul(cache, tf.tensor4d(keep, [1, 1, S, 1])), padded) as tf.Tensor4D; // rank cast: tfjs ops are typed Tensor<Rank>
}

/** cos and sin of HF RoPE (inv_freq = θ^(-2i/hd), emb = concat(freqs, freqs)). → [B, T, 1, hd] each */
export function ropeTables(positions: number[][], hd: number, theta: number): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  const B = positions.length;
  const T = positions[0].length;
  const h = hd / 2;
  const cos = new Float32Array(B * T * hd);
  const sin = new Float32Array(B * T * hd);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const base = (b * T + t) * hd;
      for (let i = 0; i < h; i++) {
        const invFreq = 1 / Math.pow(theta, (2 * i) / hd);
        const a = positions[b][t] * invFreq;
        cos[base + i] = cos[base + i + h] = Math.cos(a);
        sin[base + i] = sin[base + i + h] = Math.sin(a);
      }
    }
  }
  return { cos: tf.tensor4d(cos, [B, T, 1, hd]), sin: tf.tensor4d(sin, [B, T, 1, hd]) };
}

/** Positions and causal+padding mask for a full (training) forward. mask → [B, 1, T, T] */
export function trainingMask(ids: number[][], attentionMask?: number[][]): { positions: number[][]; mask: tf.Tensor4D } {
  const B = ids.length;
  const T = ids[0]?.length ?? 0;
  if (B === 0 || T === 0) throw new RangeError('Llama.forward: ids must be a non-empty batch of non-empty rows');
  for (const row of ids) if (row.length !== T) throw new RangeError(`Llama.forward: all rows must have the same length (pad them and pass attentionMask); got ${row.length} and ${T}`);
  const am = attentionMask ?? ids.map((r) => r.map(() => 1));
  const positions: number[][] = [];
  const m = new Float32Array(B * T * T);
  for (let b = 0; b < B; b++) {
    const pos: number[] = [];
    let n = 0;
    for (let t = 0; t < T; t++) { pos.push(Math.max(0, n)); n += am[b][t] ? 1 : 0; }
    positions.push(pos);
    for (let t = 0; t < T; t++) {
      for (let s = 0; s < T; s++) {
        const ok = s === t || (s < t && am[b][s] === 1);
        m[(b * T + t) * T + s] = ok ? 0 : MASKED;
      }
    }
  }
  return { positions, mask: tf.tensor4d(m, [B, 1, T, T]) };
}
