// LlamaConfig: the one typed config of the model, and its mapping to and from a Hugging Face
// `config.json` (LlamaForCausalLM; Qwen2ForCausalLM = Llama + q/k/v bias).
// References: HF transformers `configuration_llama.py`, `configuration_qwen2.py`; nanoGPT `GPTConfig`.

export interface LlamaConfig {
  /** HF architecture name written back to config.json: 'LlamaForCausalLM' or 'Qwen2ForCausalLM'. */
  architecture: 'LlamaForCausalLM' | 'Qwen2ForCausalLM';
  /** Number of rows of the embedding table (and of the output head). */
  vocabSize: number;
  /** Width of the residual stream (HF `hidden_size`). */
  hiddenSize: number;
  /** Width of the SwiGLU hidden layer (HF `intermediate_size`). */
  intermediateSize: number;
  /** Number of decoder blocks (HF `num_hidden_layers`). */
  numLayers: number;
  /** Number of query heads (HF `num_attention_heads`). */
  numHeads: number;
  /** Number of key/value heads; numHeads must be a multiple (grouped-query attention). */
  numKVHeads: number;
  /** Per-head width (HF `head_dim`, default hiddenSize / numHeads); must be even for RoPE. */
  headDim: number;
  /** Longest sequence (prompt + completion) the model is meant for; generation refuses longer ones. */
  maxPositionEmbeddings: number;
  /** Epsilon added to the mean square in RMSNorm (HF `rms_norm_eps`). */
  rmsNormEps: number;
  /** RoPE base frequency θ (HF `rope_theta`). */
  ropeTheta: number;
  /** True when the output head reuses the embedding table (no `lm_head.weight` tensor). */
  tieWordEmbeddings: boolean;
  /** True when q/k/v projections carry a bias: always for Qwen2, never for Llama (HF's layout). */
  attentionBias: boolean;
  /** Beginning-of-sequence id, or null. */
  bosTokenId: number | null;
  /** End-of-sequence ids (HF allows one number or a list); empty when none. */
  eosTokenIds: number[];
}

/** A config.json that cannot be used: names the file and the field, and says what is expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly source: string, readonly field: string, problem: string) {
    super(`${source}: field "${field}" ${problem}`);
  }
}

const ARCHS = ['LlamaForCausalLM', 'Qwen2ForCausalLM'] as const;
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

/** Parses a Hugging Face config.json (already JSON.parse'd). `source` names the file in errors. */
export function parseHFConfig(json: unknown, source: string): LlamaConfig {
  if (!isObject(json)) throw new ConfigError(source, '(top level)', `must be a JSON object, got ${describe(json)}`);
  const int = (field: string, fallback?: number): number => {
    const v = json[field];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new ConfigError(source, field, `must be a positive integer, got ${describe(v)}`);
    }
    return v;
  };
  const real = (field: string, fallback: number): number => {
    const v = json[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ConfigError(source, field, `must be a positive number, got ${describe(v)}`);
    return v;
  };
  const flag = (field: string, fallback: boolean): boolean => {
    const v = json[field];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') throw new ConfigError(source, field, `must be true or false, got ${describe(v)}`);
    return v;
  };
  const ids = (field: string): number[] => {
    const v = json[field];
    if (v === undefined || v === null) return [];
    const list = Array.isArray(v) ? v : [v];
    for (const x of list) {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) throw new ConfigError(source, field, `must be a token id or a list of token ids, got ${describe(v)}`);
    }
    return list as number[]; // checked element by element just above
  };

  const archs = json.architectures;
  if (!Array.isArray(archs) || archs.length === 0 || typeof archs[0] !== 'string') {
    throw new ConfigError(source, 'architectures', `must be a list such as ["LlamaForCausalLM"], got ${describe(archs)}`);
  }
  const architecture = ARCHS.find((a) => a === archs[0]);
  if (architecture === undefined) {
    throw new ConfigError(source, 'architectures', `is "${archs[0]}", which Cherry cannot run; supported: ${ARCHS.join(', ')}`);
  }
  const act = json.hidden_act;
  if (act !== undefined && act !== 'silu') throw new ConfigError(source, 'hidden_act', `is ${describe(act)}; only "silu" (SwiGLU) is supported`);
  const rs = json.rope_scaling;
  if (rs !== undefined && rs !== null) throw new ConfigError(source, 'rope_scaling', 'is set; RoPE scaling is not supported (remove it or use a model without it)');

  const hiddenSize = int('hidden_size');
  const numHeads = int('num_attention_heads');
  const numKVHeads = int('num_key_value_heads', numHeads);
  if (numHeads % numKVHeads !== 0) throw new ConfigError(source, 'num_key_value_heads', `(${numKVHeads}) must divide num_attention_heads (${numHeads})`);
  const hd = json.head_dim;
  let headDim: number;
  if (hd === undefined || hd === null) {
    if (hiddenSize % numHeads !== 0) throw new ConfigError(source, 'head_dim', `is missing and hidden_size (${hiddenSize}) is not a multiple of num_attention_heads (${numHeads})`);
    headDim = hiddenSize / numHeads;
  } else {
    headDim = int('head_dim');
  }
  if (headDim % 2 !== 0) throw new ConfigError(source, 'head_dim', `(${headDim}) must be even for rotary embeddings`);
  if (architecture === 'LlamaForCausalLM' && flag('attention_bias', false)) {
    throw new ConfigError(source, 'attention_bias', 'is true; Llama with biases on q/k/v/o is not supported (Qwen2ForCausalLM q/k/v biases are)');
  }
  if (flag('mlp_bias', false)) throw new ConfigError(source, 'mlp_bias', 'is true; MLP biases are not supported');
  const bos = ids('bos_token_id');
  return {
    architecture,
    vocabSize: int('vocab_size'),
    hiddenSize,
    intermediateSize: int('intermediate_size'),
    numLayers: int('num_hidden_layers'),
    numHeads,
    numKVHeads,
    headDim,
    maxPositionEmbeddings: int('max_position_embeddings', 2048),
    rmsNormEps: real('rms_norm_eps', 1e-6),
    ropeTheta: real('rope_theta', 10000),
    tieWordEmbeddings: flag('tie_word_embeddings', false),
    attentionBias: architecture === 'Qwen2ForCausalLM',
    bosTokenId: bos.length > 0 ? bos[0] : null,
    eosTokenIds: ids('eos_token_id'),
  };
}

/** The config.json Hugging Face transformers reads back into the same model. */
export function toHFConfig(c: LlamaConfig): Record<string, unknown> {
  const eos = c.eosTokenIds.length === 1 ? c.eosTokenIds[0] : c.eosTokenIds.length === 0 ? null : c.eosTokenIds;
  return {
    architectures: [c.architecture],
    model_type: c.architecture === 'Qwen2ForCausalLM' ? 'qwen2' : 'llama',
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    intermediate_size: c.intermediateSize,
    num_hidden_layers: c.numLayers,
    num_attention_heads: c.numHeads,
    num_key_value_heads: c.numKVHeads,
    head_dim: c.headDim,
    max_position_embeddings: c.maxPositionEmbeddings,
    rms_norm_eps: c.rmsNormEps,
    rope_theta: c.ropeTheta,
    hidden_act: 'silu',
    tie_word_embeddings: c.tieWordEmbeddings,
    bos_token_id: c.bosTokenId,
    eos_token_id: eos,
    torch_dtype: 'float32',
  };
}
