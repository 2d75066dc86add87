// Decoder blocks of each architecture, built once from the parameter map (HF tensor names are read
// here and nowhere else). Both families are pre-norm: x += attn(norm1(x)); x += mlp(norm2(x)).
// References: HF `modeling_llama.py` (LlamaDecoderLayer, LlamaMLP), `modeling_qwen3.py`,
// `modeling_gpt2.py` (GPT2Block, GPT2MLP, gelu_new = NewGELUActivation in activations.py).
import * as tf from '@tensorflow/tfjs';
import { FusedAttention, RopeAttention, type AttentionContext } from './attention';
import type { LayerKV } from './kvcache';
import type { LlamaConfig } from '../schema/modelConfig';
import { Embedding, LayerNorm, Linear, RMSNorm, type LinearLike, type Norm, type ParamGetter } from './layers';

/** SwiGLU: down(silu(gate(x)) · up(x)). [B, T, D] */
export class SwiGLU {
  constructor(
    public gate: LinearLike,
    public up: LinearLike,
    public down: LinearLike,
  ) {}

  apply(x: tf.Tensor): tf.Tensor {
    const g = this.gate.apply(x);
    return this.down.apply(tf.mul(tf.mul(g, tf.sigmoid(g)), this.up.apply(x)));
  }
}

/** GPT-2 MLP: c_proj(gelu_new(c_fc(x))). [B, T, D] */
export class GeluMLP {
  constructor(
    public cFc: LinearLike,
    public cProj: LinearLike,
  ) {}

  apply(x: tf.Tensor): tf.Tensor {
    return this.cProj.apply(geluNew(this.cFc.apply(x)));
  }
}

/** gelu_new: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function geluNew(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** One pre-norm decoder block. */
export class Block {
  constructor(
    public norm1: Norm,
    public attn: RopeAttention | FusedAttention,
    public norm2: Norm,
    public mlp: SwiGLU | GeluMLP,
  ) {}

  /** [B, T, D] → [B, T, D] and this layer's updated cache. */
  apply(x: tf.Tensor, ctx: AttentionContext): { x: tf.Tensor; kv?: LayerKV } {
    const a = this.attn.apply(this.norm1.apply(x), ctx);
    const h = tf.add(x, a.out);
    return { x: tf.add(h, this.mlp.apply(this.norm2.apply(h))), kv: a.kv };
  }
}

/** The modules of a whole model: embeddings, blocks, final norm, output head. */
export interface Modules {
  /** Token embedding. [V, D] */
  embed: Embedding;
  /** Learned position embedding (GPT-2 `wpe`) [maxPositions, D]; null for RoPE models. */
  positions: Embedding | null;
  blocks: Block[];
  /** Final norm before the head. */
  norm: Norm;
  /** Output head [D, V]: the token table's variable when tied. */
  head: Linear;
}

/** Llama, Qwen2, Qwen3: HF `model.layers.N.*` names. */
function llamaModules(c: LlamaConfig, p: ParamGetter): Modules {
  const eps = c.rmsNormEps;
  const lin = (name: string, bias: boolean): Linear => new Linear(p(`${name}.weight`), bias ? p(`${name}.bias`) : undefined);
  const qkNorm = c.architecture === 'Qwen3ForCausalLM';
  const blocks = Array.from({ length: c.numLayers }, (_, i) => {
    const pre = `model.layers.${i}.`;
    const a = `${pre}self_attn.`;
    const attn = new RopeAttention(
      lin(a + 'q_proj', c.attentionBias),
      lin(a + 'k_proj', c.attentionBias),
      lin(a + 'v_proj', c.attentionBias),
      lin(a + 'o_proj', c.outputBias ?? false),
      c.numHeads,
      c.numKVHeads,
      c.headDim,
      qkNorm ? new RMSNorm(p(a + 'q_norm.weight'), eps) : null,
      qkNorm ? new RMSNorm(p(a + 'k_norm.weight'), eps) : null,
    );
    const mlp = new SwiGLU(lin(pre + 'mlp.gate_proj', false), lin(pre + 'mlp.up_proj', false), lin(pre + 'mlp.down_proj', false));
    return new Block(
      new RMSNorm(p(pre + 'input_layernorm.weight'), eps),
      attn,
      new RMSNorm(p(pre + 'post_attention_layernorm.weight'), eps),
      mlp,
    );
  });
  const embed = tokenTable(c, p('model.embed_tokens.weight'));
  const head = headOf(c, embed, p);
  return { embed, positions: null, blocks, norm: new RMSNorm(p('model.norm.weight'), eps), head };
}

/** GPT-2: HF `transformer.*` names; Conv1D weights are [in, out]. */
function gpt2Modules(c: LlamaConfig, p: ParamGetter): Modules {
  const eps = c.rmsNormEps;
  const conv = (name: string): Linear => new Linear(p(`${name}.weight`), p(`${name}.bias`));
  const ln = (name: string): LayerNorm => new LayerNorm(p(`${name}.weight`), p(`${name}.bias`), eps);
  const blocks = Array.from({ length: c.numLayers }, (_, i) => {
    const pre = `transformer.h.${i}.`;
    const attn = new FusedAttention(conv(pre + 'attn.c_attn'), conv(pre + 'attn.c_proj'), c.numHeads, c.headDim);
    return new Block(ln(pre + 'ln_1'), attn, ln(pre + 'ln_2'), new GeluMLP(conv(pre + 'mlp.c_fc'), conv(pre + 'mlp.c_proj')));
  });
  const embed = tokenTable(c, p('transformer.wte.weight'));
  const head = headOf(c, embed, p);
  return { embed, positions: new Embedding(p('transformer.wpe.weight'), 'rows'), blocks, norm: ln('transformer.ln_f'), head };
}

/** The token table: held [D, V] when tied, so it is the head's [in, out] weight as it is (weights.ts). */
function tokenTable(c: LlamaConfig, table: tf.Variable): Embedding {
  return new Embedding(table, c.tieWordEmbeddings ? 'columns' : 'rows');
}

/** The output head [D, V]: the token table's variable when tied, else `lm_head.weight`. */
function headOf(c: LlamaConfig, embed: Embedding, p: ParamGetter): Linear {
  return new Linear(c.tieWordEmbeddings ? embed.weight : p('lm_head.weight'), undefined);
}

/** The modules of `c`'s architecture, each holding its variables from `p` (called once per tensor). */
export function buildModules(c: LlamaConfig, p: ParamGetter): Modules {
  return c.architecture === 'GPT2LMHeadModel' ? gpt2Modules(c, p) : llamaModules(c, p);
}
