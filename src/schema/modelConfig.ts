// LlamaConfig (alias ModelConfig): the one typed config of every architecture Cherry runs, and its
// mapping to and from a Hugging Face `config.json`. Fields that an architecture does not use keep a
// neutral value (e.g. GPT-2 has no RoPE: ropeTheta is unused); the architecture decides the layout.
// References: HF transformers `configuration_llama.py`, `configuration_qwen2.py`, `configuration_qwen3.py`,
// `configuration_gpt2.py`, `modeling_rope_utils.py`; nanoGPT `GPTConfig`.

/** Architectures Cherry runs (HF `architectures[0]`). */
export const ARCHITECTURES = ['LlamaForCausalLM', 'Qwen2ForCausalLM', 'Qwen3ForCausalLM', 'GPT2LMHeadModel'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** HF `model_type` of each architecture. */
export const MODEL_TYPES: Record<Architecture, string> = {
  LlamaForCausalLM: 'llama',
  Qwen2ForCausalLM: 'qwen2',
  Qwen3ForCausalLM: 'qwen3',
  GPT2LMHeadModel: 'gpt2',
};

/** HF `rope_scaling` (modeling_rope_utils.py), the two kinds Cherry supports. */
export type RopeScaling =
  /** Positions divided by `factor` (inv_freq / factor). */
  | { type: 'linear'; factor: number }
  /** Llama 3.1+: low frequencies divided by `factor`, high ones kept, a smooth ramp between. */
  | { type: 'llama3'; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositionEmbeddings: number };

export interface LlamaConfig {
  /** HF architecture name, written back to config.json; decides the layer layout. */
  architecture: Architecture;
  /** Number of rows of the embedding table (and of the output head). */
  vocabSize: number;
  /** Width of the residual stream (HF `hidden_size`; GPT-2 `n_embd`). */
  hiddenSize: number;
  /** Width of the MLP hidden layer (HF `intermediate_size`; GPT-2 `n_inner`, default 4 × n_embd). */
  intermediateSize: number;
  /** Number of decoder blocks (HF `num_hidden_layers`; GPT-2 `n_layer`). */
  numLayers: number;
  /** Number of query heads (HF `num_attention_heads`; GPT-2 `n_head`). */
  numHeads: number;
  /** Number of key/value heads; numHeads must be a multiple (grouped-query attention). GPT-2: numHeads. */
  numKVHeads: number;
  /** Per-head width (HF `head_dim`, default hiddenSize / numHeads); must be even for RoPE. */
  headDim: number;
  /** Longest sequence (prompt + completion) the model is meant for (GPT-2 `n_positions`); generation refuses longer ones. */
  maxPositionEmbeddings: number;
  /** Epsilon of every norm: RMSNorm `rms_norm_eps`, or GPT-2's LayerNorm `layer_norm_epsilon`. */
  rmsNormEps: number;
  /** RoPE base frequency θ (HF `rope_theta`); unused by GPT-2 (learned positions). */
  ropeTheta: number;
  /** RoPE scaling (HF `rope_scaling`); absent or null = none. */
  ropeScaling?: RopeScaling | null;
  /** True when the output head reuses the embedding table (no `lm_head.weight` tensor). */
  tieWordEmbeddings: boolean;
  /** True when q/k/v projections carry a bias: always for Qwen2 and GPT-2, HF `attention_bias` for Llama and Qwen3. */
  attentionBias: boolean;
  /** True when the attention output projection carries a bias (GPT-2; HF `attention_bias` on Llama and Qwen3); absent = false. */
  outputBias?: boolean;
  /** Beginning-of-sequence id, or null. */
  bosTokenId: number | null;
  /** End-of-sequence ids (HF allows one number or a list); empty when none. */
  eosTokenIds: number[];
}

/** The same type under an architecture-neutral name. */
export type ModelConfig = LlamaConfig;

/** A config.json that cannot be used: names the file and the field, and says what is expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${source}: field "${field}" ${problem}`);
  }
}

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function describe(x: unknown): string {
  if (x === undefined) return 'missing';
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'string' ? `the string "${x.slice(0, 40)}"` : `${typeof x} ${String(x)}`;
}

/** Typed readers of one config object's fields; errors name `source` and the field. */
function fieldReader(json: Json, source: string, prefix = '') {
  const err = (field: string, problem: string): ConfigError => new ConfigError(source, prefix + field, problem);
  const int = (field: string, fallback?: number): number => {
    const v = json[field];
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw err(field, `must be a positive integer, got ${describe(v)}`);
    }
    return v;
  };
  const real = (field: string, fallback?: number): number => {
    const v = json[field];
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw err(field, `must be a positive number, got ${describe(v)}`);
    return v;
  };
  const flag = (field: string, fallback: boolean): boolean => {
    const v = json[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw err(field, `must be true or false, got ${describe(v)}`);
    return v;
  };
  const ids = (field: string): number[] => {
    const v = json[field];
    if (v === undefined || v === null) return [];
    const list: unknown[] = Array.isArray(v) ? v : [v];
    const out: number[] = [];
    for (const x of list) {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0)
        throw err(field, `must be a token id or a list of token ids, got ${describe(v)}`);
      out.push(x);
    }
    return out;
  };
  return { int, real, flag, ids };
}

/** The architecture named by `architectures[0]` (or, without it, by `model_type`); refuses others, listing the supported ones. */
function architectureOf(json: Json, source: string): Architecture {
  const supported = ARCHITECTURES.map((a) => `${a} (model_type "${MODEL_TYPES[a]}")`).join(', ');
  const archs = json.architectures;
  const mt = json.model_type;
  if (Array.isArray(archs) && archs.length > 0) {
    const a = ARCHITECTURES.find((x) => x === archs[0]);
    if (a === undefined) {
      const what = typeof mt === 'string' ? ` (model_type "${mt}")` : '';
      throw new ConfigError(source, 'architectures', `is "${String(archs[0])}"${what}, which Cherry cannot run; supported: ${supported}`);
    }
    return a;
  }
  if (archs !== undefined && archs !== null)
    throw new ConfigError(source, 'architectures', `must be a list such as ["LlamaForCausalLM"], got ${describe(archs)}`);
  const a = ARCHITECTURES.find((x) => MODEL_TYPES[x] === mt);
  if (a === undefined) {
    throw new ConfigError(
      source,
      mt === undefined ? 'architectures' : 'model_type',
      `${mt === undefined ? 'is missing (and so is model_type)' : `is ${describe(mt)}, which Cherry cannot run`}; supported: ${supported}`,
    );
  }
  return a;
}

/** HF rope_scaling → RopeScaling; null when absent. Only `linear` and `llama3` are supported. */
function parseRopeScaling(json: Json, source: string): RopeScaling | null {
  const rs = json.rope_scaling;
  if (rs === undefined || rs === null) return null;
  if (!isObject(rs)) throw new ConfigError(source, 'rope_scaling', `must be an object or null, got ${describe(rs)}`);
  const kind = rs.rope_type ?? rs.type; // transformers reads rope_type, older files say type
  const f = fieldReader(rs, source, 'rope_scaling.').real;
  if (kind === 'default') return null;
  if (kind === 'linear') return { type: 'linear', factor: f('factor') };
  if (kind === 'llama3') {
    return {
      type: 'llama3',
      factor: f('factor'),
      lowFreqFactor: f('low_freq_factor'),
      highFreqFactor: f('high_freq_factor'),
      originalMaxPositionEmbeddings: f('original_max_position_embeddings'),
    };
  }
  throw new ConfigError(source, 'rope_scaling.rope_type', `is ${describe(kind)}; supported: "linear", "llama3" (or no rope_scaling)`);
}

/** GPT-2's config.json (n_embd, n_head, ...). */
function parseGpt2(json: Json, source: string, r: ReturnType<typeof fieldReader>): LlamaConfig {
  const act = json.activation_function ?? 'gelu_new';
  if (act !== 'gelu_new' && act !== 'gelu_pytorch_tanh') {
    throw new ConfigError(
      source,
      'activation_function',
      `is ${describe(act)}; only "gelu_new" (the tanh approximation GPT-2 uses) is supported`,
    );
  }
  if (r.flag('scale_attn_by_inverse_layer_idx', false))
    throw new ConfigError(source, 'scale_attn_by_inverse_layer_idx', 'is true; not supported');
  if (!r.flag('scale_attn_weights', true)) throw new ConfigError(source, 'scale_attn_weights', 'is false; not supported');
  const D = r.int('n_embd');
  const H = r.int('n_head');
  if (D % H !== 0) throw new ConfigError(source, 'n_head', `(${H}) must divide n_embd (${D})`);
  const bos = r.ids('bos_token_id');
  return {
    architecture: 'GPT2LMHeadModel',
    vocabSize: r.int('vocab_size'),
    hiddenSize: D,
    intermediateSize: r.int('n_inner', 4 * D),
    numLayers: r.int('n_layer'),
    numHeads: H,
    numKVHeads: H,
    headDim: D / H,
    maxPositionEmbeddings: r.int('n_positions', 1024),
    rmsNormEps: r.real('layer_norm_epsilon', 1e-5),
    ropeTheta: 10000,
    ropeScaling: null,
    tieWordEmbeddings: r.flag('tie_word_embeddings', true),
    attentionBias: true,
    outputBias: true,
    bosTokenId: bos.length > 0 ? bos[0] : null,
    eosTokenIds: r.ids('eos_token_id'),
  };
}

/** Parses a Hugging Face config.json (already JSON.parse'd). `source` names the file in errors. */
export function parseHFConfig(json: unknown, source: string): LlamaConfig {
  if (!isObject(json)) throw new ConfigError(source, '(top level)', `must be a JSON object, got ${describe(json)}`);
  const architecture = architectureOf(json, source);
  const r = fieldReader(json, source);
  if (architecture === 'GPT2LMHeadModel') return parseGpt2(json, source, r);
  const act = json.hidden_act;
  if (act !== undefined && act !== 'silu')
    throw new ConfigError(source, 'hidden_act', `is ${describe(act)}; only "silu" (SwiGLU) is supported`);
  const hiddenSize = r.int('hidden_size');
  const numHeads = r.int('num_attention_heads');
  const numKVHeads = r.int('num_key_value_heads', numHeads);
  if (numHeads % numKVHeads !== 0)
    throw new ConfigError(source, 'num_key_value_heads', `(${numKVHeads}) must divide num_attention_heads (${numHeads})`);
  let headDim: number;
  if (json.head_dim === undefined || json.head_dim === null) {
    if (hiddenSize % numHeads !== 0)
      throw new ConfigError(
        source,
        'head_dim',
        `is missing and hidden_size (${hiddenSize}) is not a multiple of num_attention_heads (${numHeads})`,
      );
    headDim = hiddenSize / numHeads;
  } else {
    headDim = r.int('head_dim');
  }
  if (headDim % 2 !== 0) throw new ConfigError(source, 'head_dim', `(${headDim}) must be even for rotary embeddings`);
  if (r.flag('mlp_bias', false)) throw new ConfigError(source, 'mlp_bias', 'is true; MLP biases are not supported');
  // Qwen2 always has q/k/v biases and no o_proj bias; Llama and Qwen3 put attention_bias on q, k, v and o.
  const qwen2 = architecture === 'Qwen2ForCausalLM';
  const attnBias = qwen2 || r.flag('attention_bias', false);
  const bos = r.ids('bos_token_id');
  return {
    architecture,
    vocabSize: r.int('vocab_size'),
    hiddenSize,
    intermediateSize: r.int('intermediate_size'),
    numLayers: r.int('num_hidden_layers'),
    numHeads,
    numKVHeads,
    headDim,
    maxPositionEmbeddings: r.int('max_position_embeddings', 2048),
    rmsNormEps: r.real('rms_norm_eps', 1e-6),
    ropeTheta: r.real('rope_theta', 10000),
    ropeScaling: parseRopeScaling(json, source),
    tieWordEmbeddings: r.flag('tie_word_embeddings', false),
    attentionBias: attnBias,
    outputBias: !qwen2 && attnBias,
    bosTokenId: bos.length > 0 ? bos[0] : null,
    eosTokenIds: r.ids('eos_token_id'),
  };
}

function ropeScalingJson(s: RopeScaling | null | undefined): Record<string, unknown> | null {
  if (!s) return null;
  if (s.type === 'linear') return { rope_type: 'linear', factor: s.factor };
  return {
    rope_type: 'llama3',
    factor: s.factor,
    low_freq_factor: s.lowFreqFactor,
    high_freq_factor: s.highFreqFactor,
    original_max_position_embeddings: s.originalMaxPositionEmbeddings,
  };
}

/** The config.json Hugging Face transformers reads back into the same model. */
export function toHFConfig(c: LlamaConfig): Record<string, unknown> {
  const eos = c.eosTokenIds.length === 1 ? c.eosTokenIds[0] : c.eosTokenIds.length === 0 ? null : c.eosTokenIds;
  const common = {
    architectures: [c.architecture],
    model_type: MODEL_TYPES[c.architecture],
    vocab_size: c.vocabSize,
    tie_word_embeddings: c.tieWordEmbeddings,
    bos_token_id: c.bosTokenId,
    eos_token_id: eos,
    torch_dtype: 'float32',
  };
  if (c.architecture === 'GPT2LMHeadModel') {
    return {
      ...common,
      n_embd: c.hiddenSize,
      n_layer: c.numLayers,
      n_head: c.numHeads,
      n_inner: c.intermediateSize,
      n_positions: c.maxPositionEmbeddings,
      layer_norm_epsilon: c.rmsNormEps,
      activation_function: 'gelu_new',
    };
  }
  return {
    ...common,
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_hidden_layers: c.numLayers,
    num_attention_heads: c.numHeads,
    num_key_value_heads: c.numKVHeads,
    head_dim: c.headDim,
    max_position_embeddings: c.maxPositionEmbeddings,
    rms_norm_eps: c.rmsNormEps,
    rope_theta: c.ropeTheta,
    rope_scaling: ropeScalingJson(c.ropeScaling),
    hidden_act: 'silu',
    ...(c.architecture === 'Qwen2ForCausalLM' ? {} : { attention_bias: c.attentionBias }),
  };
}
