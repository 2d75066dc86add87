// Creating, loading and saving a Llama's weights under Hugging Face tensor names
// (the layout `LlamaForCausalLM.from_pretrained` reads; Linear weights are [out, in]).
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng';
import { toHFConfig, type LlamaConfig } from './config';
import { Llama } from './llama';
import { parseSafetensors, serializeSafetensors, type NamedTensor } from './safetensors';

/** A weight whose shape in the file disagrees with config.json: names tensor, shapes and file. */
export class WeightShapeError extends Error {
  override name = 'WeightShapeError';
}

/** Every parameter's HF name and shape for a config, in a fixed order. */
export function paramShapes(c: LlamaConfig): Map<string, number[]> {
  const D = c.hiddenSize;
  const qOut = c.numHeads * c.headDim;
  const kvOut = c.numKVHeads * c.headDim;
  const m = new Map<string, number[]>();
  m.set('model.embed_tokens.weight', [c.vocabSize, D]);
  for (let i = 0; i < c.numLayers; i++) {
    const p = `model.layers.${i}.`;
    m.set(p + 'input_layernorm.weight', [D]);
    m.set(p + 'self_attn.q_proj.weight', [qOut, D]);
    m.set(p + 'self_attn.k_proj.weight', [kvOut, D]);
    m.set(p + 'self_attn.v_proj.weight', [kvOut, D]);
    if (c.attentionBias) {
      m.set(p + 'self_attn.q_proj.bias', [qOut]);
      m.set(p + 'self_attn.k_proj.bias', [kvOut]);
      m.set(p + 'self_attn.v_proj.bias', [kvOut]);
    }
    m.set(p + 'self_attn.o_proj.weight', [D, qOut]);
    m.set(p + 'post_attention_layernorm.weight', [D]);
    m.set(p + 'mlp.gate_proj.weight', [c.intermediateSize, D]);
    m.set(p + 'mlp.up_proj.weight', [c.intermediateSize, D]);
    m.set(p + 'mlp.down_proj.weight', [D, c.intermediateSize]);
  }
  m.set('model.norm.weight', [D]);
  if (!c.tieWordEmbeddings) m.set('lm_head.weight', [c.vocabSize, D]);
  return m;
}

/** A trainable variable holding a copy of `data` (the staging tensor is freed). */
function toVariable(name: string, data: Float32Array, shape: number[]): tf.Variable {
  const t = tf.tensor(data, shape);
  // tfjs variable names are global: suffix a counter so several models can coexist.
  const v = tf.variable(t, true, `${name}#${++variableCounter}`);
  t.dispose();
  return v;
}
let variableCounter = 0;

/**
 * A new model with seeded weights: N(0, std²) for matrices (HF initializer_range, default 0.02),
 * ones for norms, zeros for biases. Same seed → same weights on every backend.
 */
export function initLlama(config: LlamaConfig, seed: number, std = 0.02): Llama {
  const rng = new Rng(seed);
  const params = new Map<string, tf.Variable>();
  for (const [name, shape] of paramShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (name.endsWith('layernorm.weight') || name === 'model.norm.weight') data.fill(1);
    else if (!name.endsWith('.bias')) {
      for (let i = 0; i < n; i += 2) { // Box–Muller, two normals per pair of uniforms
        const u = 1 - rng.next();
        const r = Math.sqrt(-2 * Math.log(u)) * std;
        const th = 2 * Math.PI * rng.next();
        data[i] = r * Math.cos(th);
        if (i + 1 < n) data[i + 1] = r * Math.sin(th);
      }
    }
    params.set(name, toVariable(name, data, shape));
  }
  return new Llama(config, params);
}

/**
 * Builds a model from a safetensors file (its bytes, or already parsed by parseSafetensors). Every
 * tensor the config needs must be present with the config's shape; `source` names the file in
 * errors. Extra tensors (e.g. rotary caches) are ignored.
 */
export function llamaFromSafetensors(config: LlamaConfig, file: Uint8Array | Map<string, NamedTensor>, source: string): Llama {
  const tensors = file instanceof Uint8Array ? parseSafetensors(file, source) : file;
  const params = new Map<string, tf.Variable>();
  try {
    for (const [name, shape] of paramShapes(config)) {
      const t = tensors.get(name);
      if (t === undefined) {
        throw new WeightShapeError(`${source}: tensor "${name}" is missing (config.json expects shape [${shape.join(', ')}]); check that config.json belongs to this checkpoint`);
      }
      if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
        throw new WeightShapeError(`${source}: tensor "${name}" has shape [${t.shape.join(', ')}] but config.json implies [${shape.join(', ')}]; check that config.json belongs to this checkpoint`);
      }
      params.set(name, toVariable(name, t.data, shape));
    }
  } catch (e) {
    for (const v of params.values()) v.dispose();
    throw e;
  }
  return new Llama(config, params);
}

/** The weights as safetensors bytes (F32) plus the matching config.json object. */
export async function llamaToSafetensors(model: Llama): Promise<{ safetensors: Uint8Array; config: Record<string, unknown> }> {
  const out = new Map<string, NamedTensor>();
  for (const [name, v] of model.params) {
    const data = await v.data();
    out.set(name, { shape: v.shape.slice(), data: data instanceof Float32Array ? data : Float32Array.from(data) });
  }
  return { safetensors: serializeSafetensors(out), config: toHFConfig(model.config) };
}
