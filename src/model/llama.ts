// The decoder-only language model on tfjs, read top to bottom like nanoGPT's model.py: modules that
// own their weights (layers.ts, attention.ts, blocks.ts), built once from the parameter map.
// One class runs every architecture of config.ts (Llama, Qwen2, Qwen3: RMSNorm, RoPE, SwiGLU;
// GPT-2: LayerNorm, learned positions, gelu_new); `Llama` is its historical name.
// References: Hugging Face transformers `modeling_llama.py`, `modeling_qwen2.py`, `modeling_qwen3.py`,
// `modeling_gpt2.py`; Karpathy's llama2.c `run.c` and nanoGPT `model.py`.
// Shapes: B batch, T query length, S key length, D hidden, H query heads, nKV key/value heads,
// hd head width, V vocabulary.
//
// Padding: sequences may be padded on either side; pass `attentionMask` (1 = real token, 0 = pad).
// Positions count real tokens only (position of a token = number of real tokens before it), and no
// real token attends to a pad, so a left-padded row gives the same logits as the row alone.
// Logits at pad positions are meaningless: mask them out of any loss.
import * as tf from '@tensorflow/tfjs';
import type { AttentionContext } from './attention';
import type { LayerKV } from './kvcache';
import { buildModules, type Modules } from './blocks';
import type { LlamaConfig } from '../schema/modelConfig';
import { getterOf } from './layers';
import { MASKED, rotateHalfMatrix } from './ops';
import { ropeInvFreq, ropeTables } from './rope';

export type { LayerKV } from './kvcache';

export { MASKED } from './ops';

/** What one call of the decoder stack needs besides the token ids. */
export interface StackInputs {
  /** int32 token ids. [B, T] */
  ids: tf.Tensor2D;
  /** Position of each token (RoPE angle, or row of GPT-2's `wpe`). B rows of T numbers. */
  positions: number[][];
  /** Additive attention mask: 0 where query t may see key s, MASKED elsewhere. [B, 1, T, S] */
  mask: tf.Tensor4D;
  /** KV cache to write this call's keys/values into at slot `writePos` (decoding); absent for training. */
  cache?: { layers: LayerKV[]; writePos: number };
}

export class CausalLM {
  /** The layers, each owning its weights (blocks may be wrapped or replaced, e.g. by adapters). */
  readonly modules: Modules;
  /** rotate_half as a fixed matrix [hd, hd] and RoPE's inverse frequencies; null for GPT-2. */
  private readonly rope: { rot: tf.Tensor2D; invFreq: Float64Array } | null;

  /**
   * `params` holds every weight under its Hugging Face name (the optimizer and checkpoints use it);
   * the model takes ownership. The modules pick their variables from it once, here.
   */
  constructor(
    readonly config: LlamaConfig,
    readonly params: Map<string, tf.Variable>,
  ) {
    this.modules = buildModules(config, getterOf(params, config.architecture));
    this.rope =
      config.architecture === 'GPT2LMHeadModel'
        ? null
        : { rot: rotateHalfMatrix(config.headDim), invFreq: ropeInvFreq(config.headDim, config.ropeTheta, config.ropeScaling) };
  }

  /** Total number of scalar parameters (a tied table counted once). */
  paramCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
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

  /** Final norm and output head. [B, T, D] → [B, T, V] */
  logits(h: tf.Tensor3D): tf.Tensor3D {
    return this.modules.head.apply(this.modules.norm.apply(h)) as tf.Tensor3D; // rank cast: tfjs ops are typed Tensor<Rank>
  }

  /** Embeddings and all decoder blocks, without the final norm. Returns h [B, T, D] and updated caches. */
  stack(inp: StackInputs): { h: tf.Tensor3D; kv: LayerKV[] } {
    const c = this.config;
    const m = this.modules;
    const [B, T] = inp.ids.shape;
    const g = c.numHeads / c.numKVHeads;
    const maskG = g > 1 ? tf.tile(inp.mask, [1, 1, g, 1]) : inp.mask; // [B, 1, g*T, S], rows ordered (g, T)
    let rope: AttentionContext['rope'] = null;
    if (this.rope) {
      const { cos, sin } = ropeTables(inp.positions, this.rope.invFreq); // [B, T, 1, hd]
      rope = { cos, sin, rot: this.rope.rot };
    }
    let x = m.embed.apply(inp.ids); // [B, T, D]
    if (m.positions) x = tf.add(x, m.positions.apply(tf.tensor2d(inp.positions, [B, T], 'int32')));
    const kv: LayerKV[] = [];
    m.blocks.forEach((block, i) => {
      const r = block.apply(x, {
        B,
        T,
        rope,
        maskG,
        cache: inp.cache ? { kv: inp.cache.layers[i], writePos: inp.cache.writePos } : undefined,
      });
      if (r.kv) kv.push(r.kv);
      x = r.x;
    });
    return { h: x as tf.Tensor3D, kv }; // rank cast: tfjs ops are typed Tensor<Rank>
  }

  /** Frees every weight. */
  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
    this.rope?.rot.dispose();
  }
}

/** The model class under its historical name (every architecture). */
export const Llama = CausalLM;
export type Llama = CausalLM;

/** Positions and causal+padding mask for a full (training) forward. mask → [B, 1, T, T] */
export function trainingMask(ids: number[][], attentionMask?: number[][]): { positions: number[][]; mask: tf.Tensor4D } {
  const B = ids.length;
  const T = ids[0]?.length ?? 0;
  if (B === 0 || T === 0) throw new RangeError('Llama.forward: ids must be a non-empty batch of non-empty rows');
  for (const row of ids)
    if (row.length !== T)
      throw new RangeError(
        `Llama.forward: all rows must have the same length (pad them and pass attentionMask); got ${row.length} and ${T}`,
      );
  const am = attentionMask ?? ids.map((r) => r.map(() => 1));
  const positions: number[][] = [];
  const m = new Float32Array(B * T * T);
  for (let b = 0; b < B; b++) {
    const pos: number[] = [];
    let n = 0;
    for (let t = 0; t < T; t++) {
      pos.push(Math.max(0, n));
      n += am[b][t] ? 1 : 0;
    }
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
