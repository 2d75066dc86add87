// Creating, loading and saving a model's weights under Hugging Face tensor names. Files keep the layout
// `*ForCausalLM.from_pretrained` reads (Linear weights [out, in], GPT-2 Conv1D weights [in, out]); in
// memory every linear weight, a tied head included, is [in, out] (`storedTransposed`), so a forward pass
// multiplies by it as it is: no transpose per call, and wasm keeps its packed copy of the weight.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng';
import { toHFConfig, type LlamaConfig } from '../schema/modelConfig';
import { Llama } from './llama';
import { parseSafetensors, serializeSafetensors, type NamedTensor } from '../schema/safetensors';
import type { AdamState } from '../schema/checkpoint';

/** A weight whose shape in the file disagrees with config.json: names tensor, shapes and file. */
export class WeightShapeError extends Error {
  override name = 'WeightShapeError';
}

/** Every parameter's HF name and shape for a config, in a fixed order (a tied head is not listed). */
export function paramShapes(c: LlamaConfig): Map<string, number[]> {
  return c.architecture === 'GPT2LMHeadModel' ? gpt2Shapes(c) : llamaShapes(c);
}

/**
 * True when the model holds tensor `name` transposed relative to its file: HF `nn.Linear` weights
 * ([out, in] on disk, [in, out] in memory), an untied `lm_head.weight`, and a token table tied to the head
 * ([V, D] on disk, [D, V] in memory: the head multiplies by it as it is; a lookup gathers columns).
 * Norms, biases, an untied token table, GPT-2's positions and Conv1D weights (already [in, out]) are held
 * as stored.
 */
export function storedTransposed(c: LlamaConfig, name: string): boolean {
  if (name === 'lm_head.weight') return true;
  if (c.tieWordEmbeddings && (name === 'model.embed_tokens.weight' || name === 'transformer.wte.weight')) return true;
  return c.architecture !== 'GPT2LMHeadModel' && /_proj\.weight$/.test(name);
}

/** A 2-D row-major matrix [rows, cols] transposed to [cols, rows]. */
export function transposeMatrix(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) out[k * rows + r] = data[r * cols + k];
  return out;
}

/** A tensor's values between file order and memory order (`storedTransposed`); `fileShape` is its shape on disk. */
function toMemoryOrder(c: LlamaConfig, name: string, data: Float32Array, fileShape: readonly number[]): Float32Array {
  return storedTransposed(c, name) ? transposeMatrix(data, fileShape[0], fileShape[1]) : data;
}

/** The inverse of toMemoryOrder. */
function toFileOrder(c: LlamaConfig, name: string, data: Float32Array, fileShape: readonly number[]): Float32Array {
  return storedTransposed(c, name) ? transposeMatrix(data, fileShape[1], fileShape[0]) : data;
}

/**
 * Adam moments of full fine-tuning in the order the checkpoint stores their weights (HF file order,
 * weights.ts `storedTransposed`), or back to the order the model holds them. Arrays of another size are
 * left for importState to refuse.
 */
export function momentsOrder(c: LlamaConfig, state: AdamState, to: 'file' | 'memory'): AdamState {
  const shapes = paramShapes(c);
  const order = (rec: Record<string, Float32Array>): Record<string, Float32Array> =>
    Object.fromEntries(
      Object.entries(rec).map(([k, a]) => {
        const shape = shapes.get(k);
        if (shape === undefined || a.length !== shape.reduce((x, y) => x * y, 1)) return [k, a];
        return [k, to === 'file' ? toFileOrder(c, k, a, shape) : toMemoryOrder(c, k, a, shape)];
      }),
    );
  return { step: state.step, m: order(state.m), v: order(state.v) };
}

/** Exact number of scalar parameters of a config (a tied table counted once), without building it. */
export function countParams(c: LlamaConfig): number {
  let n = 0;
  for (const shape of paramShapes(c).values()) n += shape.reduce((a, b) => a * b, 1);
  return n;
}

function llamaShapes(c: LlamaConfig): Map<string, number[]> {
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
    if (c.architecture === 'Qwen3ForCausalLM') {
      m.set(p + 'self_attn.q_norm.weight', [c.headDim]);
      m.set(p + 'self_attn.k_norm.weight', [c.headDim]);
    }
    m.set(p + 'self_attn.o_proj.weight', [D, qOut]);
    if (c.outputBias) m.set(p + 'self_attn.o_proj.bias', [D]);
    m.set(p + 'post_attention_layernorm.weight', [D]);
    m.set(p + 'mlp.gate_proj.weight', [c.intermediateSize, D]);
    m.set(p + 'mlp.up_proj.weight', [c.intermediateSize, D]);
    m.set(p + 'mlp.down_proj.weight', [D, c.intermediateSize]);
  }
  m.set('model.norm.weight', [D]);
  if (!c.tieWordEmbeddings) m.set('lm_head.weight', [c.vocabSize, D]);
  return m;
}

/** GPT-2 names as GPT2LMHeadModel saves them; Conv1D weights are [in, out]. */
function gpt2Shapes(c: LlamaConfig): Map<string, number[]> {
  const D = c.hiddenSize;
  const F = c.intermediateSize;
  const m = new Map<string, number[]>();
  m.set('transformer.wte.weight', [c.vocabSize, D]);
  m.set('transformer.wpe.weight', [c.maxPositionEmbeddings, D]);
  for (let i = 0; i < c.numLayers; i++) {
    const p = `transformer.h.${i}.`;
    m.set(p + 'ln_1.weight', [D]);
    m.set(p + 'ln_1.bias', [D]);
    m.set(p + 'attn.c_attn.weight', [D, 3 * D]);
    m.set(p + 'attn.c_attn.bias', [3 * D]);
    m.set(p + 'attn.c_proj.weight', [D, D]);
    m.set(p + 'attn.c_proj.bias', [D]);
    m.set(p + 'ln_2.weight', [D]);
    m.set(p + 'ln_2.bias', [D]);
    m.set(p + 'mlp.c_fc.weight', [D, F]);
    m.set(p + 'mlp.c_fc.bias', [F]);
    m.set(p + 'mlp.c_proj.weight', [F, D]);
    m.set(p + 'mlp.c_proj.bias', [D]);
  }
  m.set('transformer.ln_f.weight', [D]);
  m.set('transformer.ln_f.bias', [D]);
  if (!c.tieWordEmbeddings) m.set('lm_head.weight', [c.vocabSize, D]);
  return m;
}

/** Tensors a checkpoint may carry that are not parameters: rotary caches, GPT-2's causal-mask buffers. */
function isKnownBuffer(name: string): boolean {
  return /(^|\.)rotary_emb\.inv_freq$/.test(name) || /(^|\.)h\.\d+\.attn\.(bias|masked_bias)$/.test(name);
}

/** Norm scales start at one, biases at zero, everything else random. */
function initKind(name: string): 'ones' | 'zeros' | 'normal' {
  if (/(norm|ln_[12f])\.weight$/.test(name)) return 'ones';
  return name.endsWith('.bias') ? 'zeros' : 'normal';
}

/** A trainable variable holding `data` (file order and shape) in memory order (`storedTransposed`). */
function toVariable(c: LlamaConfig, name: string, data: Float32Array, shape: number[]): tf.Variable {
  const t = storedTransposed(c, name) ? tf.tensor(transposeMatrix(data, shape[0], shape[1]), [shape[1], shape[0]]) : tf.tensor(data, shape);
  // tfjs variable names are global: suffix a counter so several models can coexist.
  const v = tf.variable(t, true, `${name}#${++variableCounter}`);
  t.dispose();
  return v;
}
let variableCounter = 0;

/**
 * A new model with seeded weights: N(0, std²) for matrices and embeddings (HF initializer_range,
 * default 0.02), ones for norm scales, zeros for biases. Same seed → same weights on every backend.
 */
export function initLlama(config: LlamaConfig, seed: number, std = 0.02): Llama {
  const rng = new Rng(seed);
  const params = new Map<string, tf.Variable>();
  for (const [name, shape] of paramShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    const kind = initKind(name);
    if (kind === 'ones') data.fill(1);
    else if (kind === 'normal') {
      for (let i = 0; i < n; i += 2) {
        // Box–Muller, two normals per pair of uniforms
        const u = 1 - rng.next();
        const r = Math.sqrt(-2 * Math.log(u)) * std;
        const th = 2 * Math.PI * rng.next();
        data[i] = r * Math.cos(th);
        if (i + 1 < n) data[i + 1] = r * Math.sin(th);
      }
    }
    params.set(name, toVariable(config, name, data, shape));
  }
  return new Llama(config, params);
}

/** Tensors in a checkpoint that its config.json does not describe: names them and the file. */
export class UnexpectedTensorError extends Error {
  override name = 'UnexpectedTensorError';
  constructor(
    readonly source: string,
    readonly names: string[],
  ) {
    const shown =
      names
        .slice(0, 8)
        .map((n) => `"${n}"`)
        .join(', ') + (names.length > 8 ? `, … (${names.length} in all)` : '');
    super(
      `${source}: ${names.length} tensor(s) that config.json does not describe: ${shown}; check that config.json (layers, attention_bias, tie_word_embeddings) belongs to this checkpoint`,
    );
  }
}

/** The name a tensor has in `tensors`: GPT-2 files may omit the `transformer.` prefix (saved from GPT2Model). */
function fileName(name: string, tensors: Map<string, NamedTensor>): string {
  if (tensors.has(name) || !name.startsWith('transformer.')) return name;
  const bare = name.slice('transformer.'.length);
  return tensors.has(bare) ? bare : name;
}

/**
 * Builds a model from a safetensors file (its bytes, or already parsed tensors, e.g. the union of a
 * sharded checkpoint's files). Every tensor the config needs must be present with the config's shape;
 * a tensor the config does not describe is an UnexpectedTensorError, except known buffers (rotary
 * `inv_freq`, GPT-2's `attn.bias`/`attn.masked_bias`) and a tied model's copy of `lm_head.weight`.
 * `source` names the file in errors.
 */
export function llamaFromSafetensors(config: LlamaConfig, file: Uint8Array | Map<string, NamedTensor>, source: string): Llama {
  const tensors = file instanceof Uint8Array ? parseSafetensors(file, source) : file;
  const shapes = paramShapes(config);
  const used = new Set<string>();
  for (const name of shapes.keys()) used.add(fileName(name, tensors));
  const unexpected = [...tensors.keys()].filter(
    (n) => !used.has(n) && !isKnownBuffer(n) && !(config.tieWordEmbeddings && n === 'lm_head.weight'),
  );
  if (unexpected.length > 0) throw new UnexpectedTensorError(source, unexpected);
  const params = new Map<string, tf.Variable>();
  try {
    for (const [name, shape] of shapes) {
      const t = tensors.get(fileName(name, tensors));
      if (t === undefined) {
        throw new WeightShapeError(
          `${source}: tensor "${name}" is missing (config.json expects shape [${shape.join(', ')}]); check that config.json belongs to this checkpoint`,
        );
      }
      if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
        throw new WeightShapeError(
          `${source}: tensor "${name}" has shape [${t.shape.join(', ')}] but config.json implies [${shape.join(', ')}]; check that config.json belongs to this checkpoint`,
        );
      }
      params.set(name, toVariable(config, name, t.data, shape));
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
  const shapes = paramShapes(model.config);
  for (const [name, v] of model.params) {
    const data = await v.data();
    const shape = shapes.get(name) ?? v.shape.slice();
    out.set(name, { shape, data: toFileOrder(model.config, name, data instanceof Float32Array ? data : Float32Array.from(data), shape) });
  }
  return { safetensors: serializeSafetensors(out), config: toHFConfig(model.config) };
}
