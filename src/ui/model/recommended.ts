// Recommended Hub models for the picker, each with the fields of its real config.json on the Hub
// (copied from huggingface.co/<repo>/blob/main/config.json; fields that do not change the size or the
// architecture are left out). Their parameter counts and download sizes are computed from these configs
// (parseHFConfig, then the tensor shapes of the HF modeling code), not typed in.
import { parseHFConfig, type LlamaConfig } from '../../schema/modelConfig';

export interface RecommendedModel {
  /** The source to load, `hf:ORG/NAME`. */
  source: string;
  /** Why pick it, a few words. */
  note: string;
  /** The config.json fields that decide its architecture and size. */
  config: Record<string, unknown>;
}

const LLAMA = { architectures: ['LlamaForCausalLM'], model_type: 'llama', attention_bias: false, rms_norm_eps: 1e-5 };

export const RECOMMENDED: readonly RecommendedModel[] = [
  {
    source: 'hf:HuggingFaceTB/SmolLM2-135M-Instruct',
    note: 'smallest instruct model; the chat tasks’ default',
    config: {
      ...LLAMA,
      hidden_size: 576,
      intermediate_size: 1536,
      num_hidden_layers: 30,
      num_attention_heads: 9,
      num_key_value_heads: 3,
      vocab_size: 49152,
      max_position_embeddings: 8192,
      rope_theta: 100000,
      tie_word_embeddings: true,
      torch_dtype: 'bfloat16',
      bos_token_id: 1,
      eos_token_id: 2,
    },
  },
  {
    source: 'hf:HuggingFaceTB/SmolLM2-360M-Instruct',
    note: 'better answers, ~3× slower',
    config: {
      ...LLAMA,
      hidden_size: 960,
      intermediate_size: 2560,
      num_hidden_layers: 32,
      num_attention_heads: 15,
      num_key_value_heads: 5,
      vocab_size: 49152,
      max_position_embeddings: 8192,
      rope_theta: 100000,
      tie_word_embeddings: true,
      torch_dtype: 'bfloat16',
      bos_token_id: 1,
      eos_token_id: 2,
    },
  },
  {
    source: 'hf:Qwen/Qwen2.5-0.5B-Instruct',
    note: 'strong at arithmetic for its size',
    config: {
      architectures: ['Qwen2ForCausalLM'],
      model_type: 'qwen2',
      hidden_size: 896,
      intermediate_size: 4864,
      num_hidden_layers: 24,
      num_attention_heads: 14,
      num_key_value_heads: 2,
      vocab_size: 151936,
      max_position_embeddings: 32768,
      rms_norm_eps: 1e-6,
      rope_theta: 1000000,
      tie_word_embeddings: true,
      torch_dtype: 'bfloat16',
      bos_token_id: 151643,
      eos_token_id: 151645,
    },
  },
  {
    source: 'hf:Qwen/Qwen3-0.6B',
    note: 'thinks before answering (<think>)',
    config: {
      architectures: ['Qwen3ForCausalLM'],
      model_type: 'qwen3',
      attention_bias: false,
      head_dim: 128,
      hidden_size: 1024,
      intermediate_size: 3072,
      num_hidden_layers: 28,
      num_attention_heads: 16,
      num_key_value_heads: 8,
      vocab_size: 151936,
      max_position_embeddings: 40960,
      rms_norm_eps: 1e-6,
      rope_theta: 1000000,
      tie_word_embeddings: true,
      torch_dtype: 'bfloat16',
      bos_token_id: 151643,
      eos_token_id: 151645,
    },
  },
  {
    source: 'hf:openai-community/gpt2',
    note: 'base model, no chat template',
    config: {
      architectures: ['GPT2LMHeadModel'],
      model_type: 'gpt2',
      n_embd: 768,
      n_layer: 12,
      n_head: 12,
      n_positions: 1024,
      n_ctx: 1024,
      vocab_size: 50257,
      layer_norm_epsilon: 1e-5,
      activation_function: 'gelu_new',
      bos_token_id: 50256,
      eos_token_id: 50256,
    },
  },
  {
    source: 'hf:meta-llama/Llama-3.2-1B-Instruct',
    note: 'gated on the Hub (accept the licence there, or use a mirror endpoint)',
    config: {
      ...LLAMA,
      head_dim: 64,
      hidden_size: 2048,
      intermediate_size: 8192,
      num_hidden_layers: 16,
      num_attention_heads: 32,
      num_key_value_heads: 8,
      vocab_size: 128256,
      max_position_embeddings: 131072,
      rope_theta: 500000,
      rope_scaling: { rope_type: 'llama3', factor: 32, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 },
      tie_word_embeddings: true,
      torch_dtype: 'bfloat16',
      bos_token_id: 128000,
      eos_token_id: [128001, 128008, 128009],
    },
  },
];

/** Parameters of a config: embeddings, blocks and final norm as in the HF modeling code (a tied head counted once). */
export function parameterCount(c: LlamaConfig): number {
  const D = c.hiddenSize,
    I = c.intermediateSize,
    V = c.vocabSize;
  if (c.architecture === 'GPT2LMHeadModel') {
    // wte + wpe; per block ln_1, ln_2 (weight + bias), c_attn [D, 3D] + bias, c_proj [D, D] + bias, c_fc [D, I] + bias, mlp c_proj [I, D] + bias; ln_f
    const block = 4 * D + (3 * D * D + 3 * D) + (D * D + D) + (D * I + I) + (I * D + D);
    return V * D + c.maxPositionEmbeddings * D + c.numLayers * block + 2 * D;
  }
  const q = c.numHeads * c.headDim,
    kv = c.numKVHeads * c.headDim;
  const attn =
    D * (q + 2 * kv) +
    (c.attentionBias ? q + 2 * kv : 0) +
    q * D +
    (c.outputBias === true ? D : 0) +
    (c.architecture === 'Qwen3ForCausalLM' ? 2 * c.headDim : 0);
  const block = 2 * D + attn + 3 * D * I; // two RMSNorms, attention, gate/up/down
  return V * D * (c.tieWordEmbeddings ? 1 : 2) + c.numLayers * block + D;
}

/** Bytes per stored weight of config.json's torch_dtype (GPT-2's checkpoint has none: float32). */
function dtypeBytes(config: Record<string, unknown>): number {
  const d = config.torch_dtype;
  return d === 'bfloat16' || d === 'float16' ? 2 : 4;
}

export interface RecommendedSize {
  /** Parameter count. */
  parameters: number;
  /** Download size of the weights, bytes (parameters × bytes of the stored dtype). */
  downloadBytes: number;
}

/** Size of a recommended model, from its config. */
export function recommendedSize(m: RecommendedModel): RecommendedSize {
  const parameters = parameterCount(parseHFConfig(m.config, `${m.source} config.json`));
  return { parameters, downloadBytes: parameters * dtypeBytes(m.config) };
}
